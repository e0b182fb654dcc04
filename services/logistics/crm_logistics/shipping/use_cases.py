"""Use cases for shipments (LOG-02): partial shipments per line, never more than remaining.

A shipment's quantities are taken from the fulfilment when it is created (pending or shipped)
and given back when it is cancelled. Sales learns of shipped quantities by events:
`logistics.shipment_recorded` when goods leave (created as shipped, or a pending one shipped),
`logistics.shipment_cancelled` when a recorded shipment is cancelled.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope, utcnow
from crm_common.validation import NoInput, load_body
from crm_logistics.carriers.queries import active_carrier
from crm_logistics.db import SCOPE
from crm_logistics.shipping import events, rules
from crm_logistics.shipping.models import Fulfilment, FulfilmentLine, Shipment, ShipmentLine
from crm_logistics.shipping.schemas import ShipmentDetailOut, ShipmentIn


def _lock_lines(session, fulfilment_id) -> dict:
    """All lines of the fulfilment, row-locked in id order (one lock order for every caller, so
    concurrent shipments queue up instead of deadlocking) and re-read after the lock is granted."""
    stmt = (select(FulfilmentLine).where(FulfilmentLine.fulfilment_id == fulfilment_id)
            .order_by(FulfilmentLine.id).with_for_update()
            .execution_options(populate_existing=True))
    return {line.id: line for line in session.execute(stmt).scalars()}


def _carrier(session, principal, data) -> tuple:
    if not data.get("carrier_id"):
        return None, data.get("carrier")
    carrier = active_carrier(session, principal, data["carrier_id"])
    return carrier.id, carrier.name


def _fulfilment_of(session, order_id) -> str | None:
    """An approved order's one fulfilment (none before approval)."""
    return session.execute(select(Fulfilment.id).where(Fulfilment.order_id == str(order_id))).scalar_one_or_none()


def create(uow, principal: Principal, payload) -> dict:
    principal.require("shipments.write")
    data = load_body(ShipmentIn(), payload)
    with uow:
        # the fulfilment's row lock orders this shipment against the order's closing (handlers.py)
        fulfilment = get_in_scope(uow.session, Fulfilment, data.get("fulfilment_id") or _fulfilment_of(
            uow.session, data["order_id"]), principal, for_update=True)
        rules.may_change_shipments(fulfilment.status, "create")
        carrier_id, carrier_name = _carrier(uow.session, principal, data)
        lines = _lock_lines(uow.session, fulfilment.id)
        by_order_line = {line.order_line_id: line_id for line_id, line in lines.items()}
        requested = [(str(line["fulfilment_line_id"]) if "fulfilment_line_id" in line
                      else by_order_line.get(str(line["order_line_id"])), line["quantity"]) for line in data["lines"]]
        errors = rules.over_shipped_lines({i: line.remaining for i, line in lines.items()}, requested)
        if errors:
            raise InvalidInput("Cannot ship these quantities", {"lines": errors})
        shipped = data["status"] == rules.SHIPPED
        shipment = Shipment(
            id=new_id(), number=uow.document_number("shipment", fulfilment.branch),
            fulfilment_id=fulfilment.id, order_id=fulfilment.order_id, status=data["status"],
            carrier_id=carrier_id, carrier=carrier_name, tracking_no=data.get("tracking_no"),
            freight_fee=data.get("freight_fee"), shipped_at=utcnow() if shipped else None,
            freight_currency=_freight_currency(data, fulfilment),
            **{key: getattr(fulfilment, key) for key in SCOPE})
        for position, (line_id, quantity) in enumerate(requested):
            lines[line_id].shipped += quantity
            shipment.lines.append(ShipmentLine(id=new_id(), position=position,
                                               fulfilment_line_id=line_id, quantity=quantity,
                                               fulfilment_line=lines[line_id]))
        fulfilment.status = rules.fulfilment_status(line.remaining for line in lines.values())
        uow.session.add(shipment)
        uow.session.flush()
        if shipped:
            uow.emit("logistics.shipment_recorded", events.shipment_moved(shipment))
        return ShipmentDetailOut().dump(shipment)


def _freight_currency(data, fulfilment):
    """A fee is money and money carries a currency: the order's unless the client says otherwise."""
    if data.get("freight_fee") is None:
        return None
    return data.get("freight_currency") or fulfilment.currency


def transition(uow, principal: Principal, shipment_id, action: str, payload=None) -> dict:
    """ship, deliver or cancel; cancelling gives the quantities back to the fulfilment."""
    principal.require("shipments.write")
    load_body(NoInput(), {} if payload is None else payload)
    with uow:
        shipment = get_in_scope(uow.session, Shipment, shipment_id, principal)
        # fulfilment first, then the shipment: the lock order of the order's closing too
        fulfilment = uow.session.execute(
            select(Fulfilment).where(Fulfilment.id == shipment.fulfilment_id).with_for_update()
            .execution_options(populate_existing=True)).scalar_one()
        uow.session.refresh(shipment, with_for_update=True)
        status = rules.SHIPMENT.next_status(shipment.status, action)
        rules.may_change_shipments(fulfilment.status, action)
        was_recorded = shipment.status == rules.SHIPPED
        now = utcnow()
        if action == "cancel":
            lines = _lock_lines(uow.session, shipment.fulfilment_id)
            for line in shipment.lines:
                lines[line.fulfilment_line_id].shipped -= line.quantity
            fulfilment.status = rules.fulfilment_status(line.remaining for line in lines.values())
            shipment.cancelled_at = now
            if was_recorded:
                uow.emit("logistics.shipment_cancelled", events.shipment_moved(shipment))
        elif action == "ship":
            shipment.shipped_at = now
            uow.emit("logistics.shipment_recorded", events.shipment_moved(shipment))
        else:
            shipment.delivered_at = now
        shipment.status = status
        uow.session.flush()
        return ShipmentDetailOut().dump(shipment)
