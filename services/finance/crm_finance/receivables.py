"""Use cases for receivables (FIN-01): opened when shipment is allowed, read by people."""
import logging
from datetime import date

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, utcnow
from crm_common.validation import load_query
from crm_finance import receivable_rules as rules
from crm_finance.models import Receivable
from crm_finance.schemas import ReceivableDetailOut, ReceivableListQuery, ReceivableOut

log = logging.getLogger(__name__)
SORTS = {"created_at": Receivable.created_at, "due_date": Receivable.due_date}
SCOPE = ("owner_id", "department_path", "branch")


def today() -> date:
    return utcnow().date()


def open_for_shipment(uow, allowed: dict) -> None:
    """Handle logistics.shipment_allowed inside the handler's unit of work (already entered)."""
    session = uow.session
    if session.execute(select(Receivable.id).where(Receivable.order_id == allowed["order_id"])).first():
        # a second, distinct event for the same order (event_id dedup cannot catch it)
        log.warning("order %s already has a receivable; ignoring the repeated event", allowed["order_id"])
        return
    receivable = Receivable(
        id=new_id(), order_id=allowed["order_id"], order_number=allowed["order_number"],
        fulfilment_id=allowed["fulfilment_id"], customer_id=allowed["customer_id"],
        currency=allowed["currency"], amount=allowed["total"], received=0,
        status=rules.receivable_status(allowed["total"], 0),
        due_date=rules.due_date(today(), allowed["payment_terms_days"]),
        **{key: allowed[key] for key in SCOPE})
    session.add(receivable)
    session.flush()
    uow.emit("finance.receivable_opened", {
        "receivable_id": receivable.id, "order_id": receivable.order_id,
        "order_number": receivable.order_number, "customer_id": receivable.customer_id,
        "amount": receivable.amount, "currency": receivable.currency,
        "due_date": receivable.due_date, **{key: allowed[key] for key in SCOPE},
    })


def get(uow, principal: Principal, receivable_id) -> dict:
    principal.require("receivables.read")
    with uow:
        receivable = get_in_scope(uow.session, Receivable, receivable_id, principal)
        return ReceivableDetailOut().dump(receivable)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("receivables.read")
    q = load_query(ReceivableListQuery(), query)
    stmt = select(Receivable).where(scope_filter(principal, Receivable))
    for field in ("order_id", "customer_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(Receivable, field) == str(q[field]))
    if "overdue" in q:
        overdue = (Receivable.status != rules.PAID) & (Receivable.due_date < today())
        stmt = stmt.where(overdue if q["overdue"] else ~overdue)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Receivable.id, q, SORTS, "-created_at")
        return {"items": ReceivableOut(many=True).dump(rows), "next_cursor": cursor}
