"""An approved order opens its fulfilment: what may now be shipped."""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.records import utcnow
from crm_logistics.db import SCOPE
from crm_logistics.shipping import events, rules
from crm_logistics.shipping.models import Fulfilment, FulfilmentLine, Shipment

log = logging.getLogger(__name__)


def open_for_order(uow, order: dict) -> None:
    """Handle sales.order_approved inside the handler's unit of work (already entered)."""
    session = uow.session
    if session.execute(select(Fulfilment.id).where(Fulfilment.order_id == order["order_id"])).first():
        # a second, distinct event for the same order (event_id dedup cannot catch it)
        log.warning("order %s already has a fulfilment; ignoring the repeated approval", order["order_id"])
        return
    lines = [
        FulfilmentLine(id=new_id(), position=position, order_line_id=line["line_id"],
                       product_id=line["product_id"], product_name=line["product_name"],
                       ordered=line["quantity"], shipped=0, released=0)
        for position, line in enumerate(order["lines"])
    ]
    fulfilment = Fulfilment(
        id=new_id(), order_id=order["order_id"], order_number=order["number"],
        customer_id=order["customer_id"], currency=order["currency"], lines=lines,
        status=rules.fulfilment_status(line.remaining for line in lines),
        **{key: order[key] for key in SCOPE})
    session.add(fulfilment)
    session.flush()
    uow.emit("logistics.shipment_allowed", events.shipment_allowed(fulfilment, order))


class FulfilmentNotOpenYet(Exception):
    """The order's end overtook its approval (two queues): retried until the fulfilment exists."""


def close_for_order(uow, ended: dict) -> None:
    """Handle sales.order_completed / sales.order_closed (v2) inside the handler's unit of work.

    Under the fulfilment's row lock, which every shipment change takes first: a shipment recorded
    before this commits counts as shipped and is billed; one attempted after is refused. Pending
    shipments never left, so they are cancelled and their quantities released with the rest.
    """
    session = uow.session
    fulfilment = session.execute(
        select(Fulfilment).where(Fulfilment.order_id == ended["order_id"]).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if fulfilment is None:
        raise FulfilmentNotOpenYet(ended["order_id"])
    if fulfilment.status == rules.CLOSED:  # completed, then closed: it ended once
        return
    now = utcnow()
    lines = {line.id: line for line in session.execute(
        select(FulfilmentLine).where(FulfilmentLine.fulfilment_id == fulfilment.id).order_by(FulfilmentLine.id)
        .with_for_update().execution_options(populate_existing=True)).scalars()}
    pending = session.execute(select(Shipment).where(Shipment.fulfilment_id == fulfilment.id,
                                                     Shipment.status == rules.PENDING)
                              .order_by(Shipment.id).with_for_update()).scalars().all()
    for shipment in pending:
        for line in shipment.lines:
            lines[line.fulfilment_line_id].shipped -= line.quantity
        shipment.status, shipment.cancelled_at = rules.CANCELLED, now
    ordered = sorted(lines.values(), key=lambda line: line.position)
    for line, released in zip(ordered, rules.closing([(line.ordered, line.shipped) for line in ordered]),
                              strict=True):
        line.released = released
    fulfilment.status, fulfilment.closed_at, fulfilment.closed_reason = rules.CLOSED, now, ended["reason"]
    session.flush()
    session.refresh(fulfilment, ["lines"])
    uow.emit("logistics.fulfilment_closed", events.fulfilment_closed(fulfilment))
