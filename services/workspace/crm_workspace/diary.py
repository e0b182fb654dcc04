"""Use cases for the business diary and work plans (WSP-05).

Both are owned records: the author writes them, whoever's data scope covers the author (the
manager with department or subtree scope) reads them. Out of scope answers 404.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_workspace import periods
from crm_workspace.lookup import apply_patch
from crm_workspace.models_desk import DiaryEntry, Plan, PlanRecord
from crm_workspace.schemas_desk import (DateRangeQuery, DiaryEntryIn, DiaryEntryOut, PlanIn, PlanOut,
                                        PlanQuery, PlanRecordIn, PlanRecordOut)

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


def create_entry(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(DiaryEntryIn(), payload)
    with uow:
        entry = DiaryEntry(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(entry)
        uow.session.flush()
        return DiaryEntryOut().dump(entry)


def get_entry(uow, principal: Principal, entry_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        return DiaryEntryOut().dump(get_in_scope(uow.session, DiaryEntry, entry_id, principal))


def update_entry(uow, principal: Principal, entry_id, payload) -> dict:
    """Only the author edits a diary: a manager reads it, and does not rewrite it."""
    principal.require(PERMISSION)
    data = load_body(DiaryEntryIn(), payload, partial=True)
    with uow:
        entry = get_in_scope(uow.session, DiaryEntry, entry_id, principal, for_update=True,
                             extra=(DiaryEntry.owner_id == principal.user_id,))
        apply_patch(entry, data)
        uow.session.flush()
        return DiaryEntryOut().dump(entry)


def list_entries(uow, principal: Principal, query) -> dict:
    principal.require(PERMISSION)
    q = load_query(DateRangeQuery(), query)
    stmt = _date_filters(select(DiaryEntry).where(scope_filter(principal, DiaryEntry)),
                         DiaryEntry, DiaryEntry.entry_date, q)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, DiaryEntry.id, q, DIARY_SORTS, "-entry_date")
        return {"items": DiaryEntryOut(many=True).dump(rows), "next_cursor": cursor}


def create_plan(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(PlanIn(), payload)
    day = data.pop("day")
    with uow:
        plan = Plan(id=new_id(), **ownership_of(principal), **data,
                    period_start=periods.period_start(data["period"], day))
        uow.session.add(plan)
        uow.session.flush()
        return dict(PlanOut().dump(plan), records=[])


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


def add_record(uow, principal: Principal, plan_id, payload) -> dict:
    """A work record on the author's own plan (what was done against it)."""
    principal.require(PERMISSION)
    data = load_body(PlanRecordIn(), payload)
    with uow:
        plan = get_in_scope(uow.session, Plan, plan_id, principal, for_update=True,
                            extra=(Plan.owner_id == principal.user_id,))
        record = PlanRecord(id=new_id(), plan_id=plan.id, author_id=principal.user_id,
                            content=data["content"], recorded_at=utcnow())
        uow.session.add(record)
        uow.session.flush()
        return PlanRecordOut().dump(record)
