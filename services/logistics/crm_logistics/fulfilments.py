"""Use cases for fulfilments (LOG-01): opened by an approved order, read by people."""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_logistics import shipping_rules as rules
from crm_logistics.models import Fulfilment, FulfilmentLine
from crm_logistics.schemas import FulfilmentDetailOut, FulfilmentListQuery, FulfilmentOut

log = logging.getLogger(__name__)
SORTS = {"created_at": Fulfilment.created_at}
SCOPE = ("owner_id", "department_path", "branch")


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
    uow.emit("logistics.shipment_allowed", {
        "fulfilment_id": fulfilment.id, "order_id": fulfilment.order_id,
        "order_number": fulfilment.order_number, "customer_id": fulfilment.customer_id,
        "total": order["total"], "currency": order["currency"],
        "payment_terms_days": order["payment_terms_days"],
        **{key: order[key] for key in SCOPE},
    })


def get(uow, principal: Principal, fulfilment_id) -> dict:
    principal.require("fulfilments.read")
    with uow:
        fulfilment = get_in_scope(uow.session, Fulfilment, fulfilment_id, principal)
        return FulfilmentDetailOut().dump(fulfilment)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("fulfilments.read")
    q = load_query(FulfilmentListQuery(), query)
    stmt = select(Fulfilment).where(scope_filter(principal, Fulfilment))
    for field in ("order_id", "customer_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(Fulfilment, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Fulfilment.id, q, SORTS, "-created_at")
        return {"items": FulfilmentOut(many=True).dump(rows), "next_cursor": cursor}
