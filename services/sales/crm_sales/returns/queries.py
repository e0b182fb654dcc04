"""Reads of returns: one return, lists, its approvals, and what other returns already claim."""
from sqlalchemy import func, select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_sales.approvals import queries as approvals
from crm_sales.returns.models import Return, ReturnLine
from crm_sales.returns.rules import CLAIMING
from crm_sales.returns.schemas import ReturnListQuery, ReturnOut

SORTS = {"created_at": Return.created_at}


def find(session, principal, return_id, for_update=False, deciding=False) -> Return:
    """In scope, or a return the caller is (or was) asked to approve (orders.queries.find)."""
    return get_in_scope(session, Return, return_id, principal, for_update=for_update,
                        **approvals.approver_scope(principal, ("return",), Return.id, for_update, deciding))


def already_claimed(session, line_ids) -> dict:
    """Per order line, the quantity that open or approved returns hold."""
    rows = session.execute(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity)).join(Return)
        .where(ReturnLine.order_line_id.in_(line_ids), Return.status.in_(CLAIMING))
        .group_by(ReturnLine.order_line_id))
    return {line_id: total for line_id, total in rows}


def get(uow, principal: Principal, return_id) -> dict:
    principal.require("orders.read")
    with uow:
        return ReturnOut().dump(find(uow.session, principal, return_id))


def approval_history(uow, principal: Principal, return_id) -> list:
    principal.require("orders.read")
    with uow:
        record = find(uow.session, principal, return_id)
        return approvals.history_out(uow.session, principal, "return", record.id)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(ReturnListQuery(), query)
    stmt = select(Return).where(scope_filter(principal, Return))
    if "order_id" in q:
        stmt = stmt.where(Return.order_id == str(q["order_id"]))
    if "status" in q:
        stmt = stmt.where(Return.status == q["status"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Return.id, q, SORTS, "-created_at")
        return {"items": ReturnOut(many=True, exclude=("lines",)).dump(rows), "next_cursor": cursor}
