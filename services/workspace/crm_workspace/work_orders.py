"""Use cases for work orders (工单, WSP-03) and the call statistics by source and category."""
from datetime import datetime, time, timezone

from sqlalchemy import func, select

from crm_common.database import new_id
from crm_common.errors import Conflict
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_workspace import categories
from crm_workspace.models_calls import CallRecord, Category, WorkOrder
from crm_workspace.schemas_calls import (CallStatisticsOut, StatsQuery, WorkOrderCloseIn, WorkOrderIn,
                                         WorkOrderOut, WorkOrderQuery)

SORTS = {"created_at": WorkOrder.created_at}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("calls.write")
    data = load_body(WorkOrderIn(), payload)
    with uow:
        category = categories.find(uow.session, principal, data["category_id"], "business")
        call = None
        if data["call_id"]:
            # a call the caller cannot see is the same as no call: 404 keeps it from leaking
            call = get_in_scope(uow.session, CallRecord, data["call_id"], principal)
        order = WorkOrder(
            id=new_id(), number=uow.next_number(f"WO-{principal.branch}"), **ownership_of(principal),
            call_id=call.id if call else None, category_id=category.id, title=data["title"],
            description=data["description"], customer_id=call.customer_id if call else None,
            source=data["source"] or (call.source if call else "other"), status="open")
        uow.session.add(order)
        uow.session.flush()
        return WorkOrderOut().dump(order)


def get(uow, principal: Principal, order_id) -> dict:
    principal.require("calls.read")
    with uow:
        return WorkOrderOut().dump(get_in_scope(uow.session, WorkOrder, order_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("calls.read")
    q = load_query(WorkOrderQuery(), query)
    stmt = select(WorkOrder).where(scope_filter(principal, WorkOrder))
    if "status" in q:
        stmt = stmt.where(WorkOrder.status == q["status"])
    if "category_id" in q:
        # a category stands for its whole subtree
        prefix = select(Category.path).where(Category.id == str(q["category_id"])).scalar_subquery()
        sub = select(Category.id).where(Category.path.startswith(prefix))
        stmt = stmt.where(WorkOrder.category_id.in_(sub))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, WorkOrder.id, q, SORTS, "-created_at")
        return {"items": WorkOrderOut(many=True).dump(rows), "next_cursor": cursor}


def close(uow, principal: Principal, order_id, payload) -> dict:
    principal.require("calls.write")
    data = load_body(WorkOrderCloseIn(), payload)
    with uow:
        order = get_in_scope(uow.session, WorkOrder, order_id, principal, for_update=True)
        if order.status != "open":
            raise Conflict("This work order is already closed")
        order.status, order.resolution, order.closed_at = "closed", data["resolution"], utcnow()
        uow.session.flush()
        return WorkOrderOut().dump(order)


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
    start = datetime.combine(q["date_from"], time.min, tzinfo=timezone.utc)
    # the last instant of date_to, not the next midnight: there is none after 9999-12-31
    end = datetime.combine(q["date_to"], time.max, tzinfo=timezone.utc)
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
