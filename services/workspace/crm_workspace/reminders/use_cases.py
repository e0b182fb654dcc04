"""Use cases of the reminder centre (WSP-07). The timer entrypoint calls `fire_due`: each due
reminder becomes a notification to its owner, in the same transaction that marks it fired, so a
crash can neither lose nor double a reminder."""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_workspace.db import find_visible
from crm_workspace.notifications.use_cases import add as add_notification
from crm_workspace.reminders.models import Reminder
from crm_workspace.reminders.queries import PERMISSION, mine
from crm_workspace.reminders.rules import REMINDER
from crm_workspace.reminders.schemas import ReminderIn, ReminderOut

FIRE_BATCH = 200


def create(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(ReminderIn(), payload)
    with uow:
        reminder = Reminder(id=new_id(), owner_id=principal.user_id, department_path=principal.department_path,
                            branch=principal.branch, status="pending", source="manual", **data)
        uow.session.add(reminder)
        uow.session.flush()
        return ReminderOut().dump(reminder)


def complete(uow, principal: Principal, reminder_id, payload) -> dict:
    principal.require(PERMISSION)
    load_body(NoInput(), payload)
    with uow:
        reminder = find_visible(uow.session, Reminder, reminder_id, mine(principal), for_update=True)
        REMINDER.apply(reminder, "complete")
        uow.session.flush()
        return ReminderOut().dump(reminder)


def add_from_event(uow, columns: dict) -> bool:
    """Called by event handlers; `source_key` makes the same fact remind only once (False then)."""
    values = {"id": new_id(), "status": "pending", "created_at": utcnow(), "updated_at": utcnow(), **columns}
    # RETURNING, not rowcount: an ORM-enabled INSERT through the session reports no rowcount
    result = uow.session.execute(pg_insert(Reminder).values(values)
                                 .on_conflict_do_nothing(index_elements=["source_key"]).returning(Reminder.id))
    return result.first() is not None


def fire_due(uow, now=None) -> int:
    """Due and still pending → notification + fired. SKIP LOCKED lets replicas share the work."""
    now = now or utcnow()
    with uow:
        due = uow.session.execute(
            select(Reminder).where(Reminder.status == "pending", Reminder.due_at <= now)
            .order_by(Reminder.due_at).limit(FIRE_BATCH).with_for_update(skip_locked=True)).scalars().all()
        for reminder in due:
            add_notification(uow, {
                "kind": f"reminder_{reminder.source}", "title": reminder.title,
                "body": reminder.notes or reminder.title, "link": reminder.link or f"/api/v1/reminders/{reminder.id}",
                "recipient_user_id": reminder.owner_id})
            REMINDER.apply(reminder, "fire")
            reminder.fired_at = now
        return len(due)
