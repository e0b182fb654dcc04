"""Use cases of the business diary and work plans (WSP-05): owned records the author writes."""
from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body
from crm_workspace.db import apply_patch
from crm_workspace.diary.models import DiaryEntry, Plan, PlanRecord
from crm_workspace.diary.queries import PERMISSION
from crm_workspace.diary.rules import period_start
from crm_workspace.diary.schemas import DiaryEntryIn, DiaryEntryOut, PlanIn, PlanOut, PlanRecordIn, PlanRecordOut


def create_entry(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(DiaryEntryIn(), payload)
    with uow:
        entry = DiaryEntry(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(entry)
        uow.session.flush()
        return DiaryEntryOut().dump(entry)


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


def create_plan(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(PlanIn(), payload)
    day = data.pop("day")
    with uow:
        plan = Plan(id=new_id(), **ownership_of(principal), **data, period_start=period_start(data["period"], day))
        uow.session.add(plan)
        uow.session.flush()
        return dict(PlanOut().dump(plan), records=[])


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
