"""An approved order opens its fulfilment: what may now be shipped."""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_logistics.db import SCOPE
from crm_logistics.shipping import events, rules
from crm_logistics.shipping.models import Fulfilment, FulfilmentLine

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
                       ordered=line["quantity"], shipped=0)
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
