"""Reads of the reminder centre. A reminder is its owner's alone (no manager reads another
person's to-do list)."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_workspace.reminders.models import Reminder
from crm_workspace.reminders.schemas import ReminderOut, ReminderQuery

SORTS = {"due_at": Reminder.due_at, "created_at": Reminder.created_at}
PERMISSION = "reminders.use"


def mine(principal: Principal):
    return Reminder.owner_id == principal.user_id


def list_(uow, principal: Principal, query) -> dict:
    principal.require(PERMISSION)
    q = load_query(ReminderQuery(), query)
    stmt = select(Reminder).where(mine(principal))
    if "status" in q:
        stmt = stmt.where(Reminder.status == q["status"])
    if "due_before" in q:
        stmt = stmt.where(Reminder.due_at < q["due_before"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Reminder.id, q, SORTS, "due_at")
        return {"items": ReminderOut(many=True).dump(rows), "next_cursor": cursor}
