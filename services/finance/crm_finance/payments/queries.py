"""Reads of payments."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_finance.payments.models import Payment
from crm_finance.payments.schemas import PaymentListQuery, PaymentOut

SORTS = {"created_at": Payment.created_at, "number": Payment.number}


def get(uow, principal: Principal, payment_id) -> dict:
    principal.require("payments.read")
    with uow:
        return PaymentOut().dump(get_in_scope(uow.session, Payment, payment_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("payments.read")
    q = load_query(PaymentListQuery(), query)
    stmt = select(Payment).where(scope_filter(principal, Payment))
    for field in ("kind", "status", "source_id", "order_id", "customer_id"):
        if field in q:
            stmt = stmt.where(getattr(Payment, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Payment.id, q, SORTS, "-created_at")
        return {"items": PaymentOut(many=True).dump(rows), "next_cursor": cursor}
