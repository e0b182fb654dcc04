"""Reads of quotes: one quote with its lines and revisions, and lists."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_sales.quotes.models import Quote
from crm_sales.quotes.schemas import QuoteListQuery, QuoteOut

SORTS = {"created_at": Quote.created_at, "number": Quote.number}


def find(session, principal, quote_id, for_update=False) -> Quote:
    return get_in_scope(session, Quote, quote_id, principal, for_update=for_update)


def get(uow, principal: Principal, quote_id) -> dict:
    principal.require("orders.read")
    with uow:
        return QuoteOut().dump(find(uow.session, principal, quote_id))


def visible(principal: Principal):
    return select(Quote).where(scope_filter(principal, Quote))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(QuoteListQuery(), query)
    stmt = visible(principal)
    if "status" in q:
        stmt = stmt.where(Quote.status == q["status"])
    if "customer_id" in q:
        stmt = stmt.where(Quote.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Quote.id, q, SORTS, "-created_at")
        return {"items": QuoteOut(many=True, exclude=("lines", "revisions")).dump(rows), "next_cursor": cursor}
