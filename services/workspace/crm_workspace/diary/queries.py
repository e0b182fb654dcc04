"""Reads of the diary and plans: whoever's data scope covers the author (the manager with
department or subtree scope) reads them. Out of scope answers 404."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_workspace.diary.models import DiaryEntry, Plan, PlanRecord
from crm_workspace.diary.schemas import DateRangeQuery, DiaryEntryOut, PlanOut, PlanQuery, PlanRecordOut

DIARY_SORTS = {"entry_date": DiaryEntry.entry_date, "created_at": DiaryEntry.created_at}
PLAN_SORTS = {"period_start": Plan.period_start, "created_at": Plan.created_at}
PERMISSION = "diary.use"


def _date_filters(stmt, model, column, q):
    if "date_from" in q:
        stmt = stmt.where(column >= q["date_from"])
    if "date_to" in q:
        stmt = stmt.where(column <= q["date_to"])
    if "owner_id" in q:
        stmt = stmt.where(model.owner_id == str(q["owner_id"]))
    return stmt


def get_entry(uow, principal: Principal, entry_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        return DiaryEntryOut().dump(get_in_scope(uow.session, DiaryEntry, entry_id, principal))


def list_entries(uow, principal: Principal, query) -> dict:
    principal.require(PERMISSION)
    q = load_query(DateRangeQuery(), query)
    stmt = _date_filters(select(DiaryEntry).where(scope_filter(principal, DiaryEntry)),
                         DiaryEntry, DiaryEntry.entry_date, q)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, DiaryEntry.id, q, DIARY_SORTS, "-entry_date")
        return {"items": DiaryEntryOut(many=True).dump(rows), "next_cursor": cursor}


def _plan_out(session, plan) -> dict:
    records = session.execute(select(PlanRecord).where(PlanRecord.plan_id == plan.id)
                              .order_by(PlanRecord.recorded_at, PlanRecord.id)).scalars().all()
    return dict(PlanOut().dump(plan), records=PlanRecordOut(many=True).dump(records))


def get_plan(uow, principal: Principal, plan_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        return _plan_out(uow.session, get_in_scope(uow.session, Plan, plan_id, principal))


def list_plans(uow, principal: Principal, query) -> dict:
    principal.require(PERMISSION)
    q = load_query(PlanQuery(), query)
    stmt = _date_filters(select(Plan).where(scope_filter(principal, Plan)), Plan, Plan.period_start, q)
    if "period" in q:
        stmt = stmt.where(Plan.period == q["period"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Plan.id, q, PLAN_SORTS, "-period_start")
        return {"items": PlanOut(many=True).dump(rows), "next_cursor": cursor}
