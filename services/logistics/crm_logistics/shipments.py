"""Use cases for shipments (LOG-02): partial shipments per line, never more than remaining."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, utcnow
from crm_common.validation import load_body, load_query
from crm_logistics import shipping_rules as rules
from crm_logistics.models import Fulfilment, FulfilmentLine, Shipment, ShipmentLine
from crm_logistics.schemas import ShipmentDetailOut, ShipmentIn, ShipmentListQuery, ShipmentOut

SORTS = {"created_at": Shipment.created_at, "shipped_at": Shipment.shipped_at, "number": Shipment.number}


def _lock_lines(session, fulfilment_id) -> dict:
    """All lines of the fulfilment, row-locked in id order (one lock order for every caller, so
    concurrent shipments queue up instead of deadlocking) and re-read after the lock is granted."""
    stmt = (select(FulfilmentLine).where(FulfilmentLine.fulfilment_id == fulfilment_id)
            .order_by(FulfilmentLine.id).with_for_update()
            .execution_options(populate_existing=True))
    return {line.id: line for line in session.execute(stmt).scalars()}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("shipments.write")
    data = load_body(ShipmentIn(), payload)
    requested = [(str(line["fulfilment_line_id"]), line["quantity"]) for line in data["lines"]]
    with uow:
        fulfilment = get_in_scope(uow.session, Fulfilment, data["fulfilment_id"], principal)
        lines = _lock_lines(uow.session, fulfilment.id)
        errors = rules.over_shipped_lines({i: line.remaining for i, line in lines.items()}, requested)
        if errors:
            raise InvalidInput("Cannot ship these quantities", {"lines": errors})
        shipment = Shipment(
            id=new_id(), number=uow.next_number(f"SH-{fulfilment.branch}"),
            fulfilment_id=fulfilment.id, order_id=fulfilment.order_id, status="shipped",
            carrier=data.get("carrier"), tracking_no=data.get("tracking_no"),
            freight_fee=data.get("freight_fee"), shipped_at=utcnow(),
            freight_currency=_freight_currency(data, fulfilment),
            owner_id=fulfilment.owner_id, department_path=fulfilment.department_path,
            branch=fulfilment.branch)
        for position, (line_id, quantity) in enumerate(requested):
            lines[line_id].shipped += quantity
            shipment.lines.append(ShipmentLine(id=new_id(), position=position,
                                               fulfilment_line_id=line_id, quantity=quantity,
                                               fulfilment_line=lines[line_id]))
        fulfilment.status = rules.fulfilment_status(line.remaining for line in lines.values())
        uow.session.add(shipment)
        uow.session.flush()
        return ShipmentDetailOut().dump(shipment)


def _freight_currency(data, fulfilment):
    """A fee is money and money carries a currency: the order's unless the client says otherwise."""
    if data.get("freight_fee") is None:
        return None
    return data.get("freight_currency") or fulfilment.currency


def get(uow, principal: Principal, shipment_id) -> dict:
    principal.require("shipments.read")
    with uow:
        return ShipmentDetailOut().dump(get_in_scope(uow.session, Shipment, shipment_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("shipments.read")
    q = load_query(ShipmentListQuery(), query)
    stmt = select(Shipment).where(scope_filter(principal, Shipment))
    for field in ("fulfilment_id", "order_id"):
        if field in q:
            stmt = stmt.where(getattr(Shipment, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Shipment.id, q, SORTS, "-created_at")
        return {"items": ShipmentOut(many=True).dump(rows), "next_cursor": cursor}
