"""Reads of the call log and work orders: the handling queue, lists, statistics."""
from datetime import datetime, time

from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_workspace.calls.models import CallRecord, WorkOrder
from crm_workspace.calls.rules import normalise_phone
from crm_workspace.calls.schemas import (CallOut, CallQuery, CallStatisticsOut, StatsQuery, WorkOrderOut,
                                         WorkOrderQuery)
from crm_workspace.categories.queries import in_subtree

CALL_SORTS = {"received_at": CallRecord.received_at}
WORK_ORDER_SORTS = {"created_at": WorkOrder.created_at}


def get_call(uow, principal: Principal, call_id) -> dict:
    principal.require("calls.read")
    with uow:
        return CallOut().dump(get_in_scope(uow.session, CallRecord, call_id, principal))


def list_calls(uow, principal: Principal, query) -> dict:
    """The handling queue is `?status=pending`."""
    principal.require("calls.read")
    q = load_query(CallQuery(), query)
    stmt = select(CallRecord).where(scope_filter(principal, CallRecord))
    if "status" in q:
        stmt = stmt.where(CallRecord.status == q["status"])
    if "phone" in q:
        phone = normalise_phone(q["phone"])
        stmt = stmt.where(CallRecord.phone == (phone or q["phone"]))
    if "customer_id" in q:
        stmt = stmt.where(CallRecord.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, CallRecord.id, q, CALL_SORTS, "-received_at")
        return {"items": CallOut(many=True).dump(rows), "next_cursor": cursor}


def get_work_order(uow, principal: Principal, order_id) -> dict:
    principal.require("calls.read")
    with uow:
        return WorkOrderOut().dump(get_in_scope(uow.session, WorkOrder, order_id, principal))


def list_work_orders(uow, principal: Principal, query) -> dict:
    principal.require("calls.read")
    q = load_query(WorkOrderQuery(), query)
    stmt = select(WorkOrder).where(scope_filter(principal, WorkOrder))
    if "status" in q:
        stmt = stmt.where(WorkOrder.status == q["status"])
    if "category_id" in q:
        stmt = stmt.where(in_subtree(WorkOrder.category_id, q["category_id"]))
    if q.get("assigned_to") == "me":
        stmt = stmt.where(WorkOrder.owner_id == principal.user_id)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, WorkOrder.id, q, WORK_ORDER_SORTS, "-created_at")
        return {"items": WorkOrderOut(many=True).dump(rows), "next_cursor": cursor}


def _counts(session, model, time_column, group_column, principal, start, end) -> list[dict]:
    rows = session.execute(
        select(group_column, func.count()).where(scope_filter(principal, model), time_column >= start,
                                                 time_column <= end)
        .group_by(group_column).order_by(group_column)).all()
    return [{"key": key, "count": count} for key, count in rows]


def statistics(uow, principal: Principal, query) -> dict:
    """Calls and work orders per source and per category in [date_from, date_to], in scope."""
    principal.require("calls.read")
    q = load_query(StatsQuery(), query)
    zone = branch_time.zone()  # the branch's days: a call at 23:30 UTC counts on the next Beijing day
    start = datetime.combine(q["date_from"], time.min, tzinfo=zone)
    # the last instant of date_to, not the next midnight: there is none after 9999-12-31
    end = datetime.combine(q["date_to"], time.max, tzinfo=zone)
    with uow:
        s = uow.session
        return CallStatisticsOut().dump({
            "date_from": q["date_from"], "date_to": q["date_to"],
            "calls_by_source": _counts(s, CallRecord, CallRecord.received_at, CallRecord.source, principal, start, end),
            "calls_by_category": _counts(s, CallRecord, CallRecord.received_at, CallRecord.category_id,
                                         principal, start, end),
            "calls_by_status": _counts(s, CallRecord, CallRecord.received_at, CallRecord.status, principal, start, end),
            "work_orders_by_source": _counts(s, WorkOrder, WorkOrder.created_at, WorkOrder.source,
                                             principal, start, end),
            "work_orders_by_category": _counts(s, WorkOrder, WorkOrder.created_at, WorkOrder.category_id,
                                               principal, start, end),
        })
