"""Use cases of the notification inbox (WSP-08). Notifications come only from events and reminders."""
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_workspace.db import mark_read as record_read
from crm_workspace.notifications import rules
from crm_workspace.notifications.models import ApprovalOutcome, Notification
from crm_workspace.notifications.queries import READS, visible_to
from crm_workspace.notifications.schemas import NotificationReadOut


def add(uow, columns: dict | None) -> bool:
    """Called inside the caller's unit of work (event handlers, the reminder timer). A fact
    already told (same `fact_key`) is not told again: False then, as for nothing to tell."""
    if columns is None:
        return False
    values = {"id": new_id(), "created_at": utcnow(), **columns}
    result = uow.session.execute(pg_insert(Notification).values(values)
                                 .on_conflict_do_nothing(index_elements=["fact_key"]).returning(Notification.id))
    return result.first() is not None


def _step_keys(uow, approval_id: str) -> list[str]:
    prefix = rules.approval_fact(approval_id, 0).rsplit(":", 1)[0] + ":"
    return list(uow.session.execute(select(Notification.fact_key).where(
        Notification.fact_key.startswith(prefix, autoescape=True))).scalars())


def _resolve(uow, fact_keys: list[str], resolution: str, title: str) -> None:
    if fact_keys:
        uow.session.execute(update(Notification).where(
            Notification.fact_key.in_(fact_keys), Notification.resolved_at.is_(None))
            .values(resolved_at=utcnow(), resolution=resolution, title=title))


def approval_requested(uow, data: dict) -> None:
    """A step is waiting: tell its approvers, and stop asking the approvers of earlier steps.
    A step announced after the approval already ended, or after a later step, is stored resolved."""
    columns = rules.approval_requested(data)
    keys = _step_keys(uow, data["approval_id"])
    number, kind = data["document_number"], data["document_type"]
    ended = uow.session.get(ApprovalOutcome, data["approval_id"])
    if ended is not None:
        columns.update(resolved_at=ended.resolved_at, resolution=ended.resolution, title=ended.title)
    elif rules.is_superseded(keys, data["step_index"]):
        columns.update(resolved_at=utcnow(), resolution="moved_on",
                       title=rules.resolved_title(kind, number, "moved_on"))
    add(uow, columns)
    _resolve(uow, rules.earlier_steps(keys, data["step_index"]), "moved_on",
             rules.resolved_title(kind, number, "moved_on"))


def approval_ended(uow, data: dict, resolution: str) -> None:
    """Decided or withdrawn: every step notification of the approval stops saying "waiting"."""
    title = rules.resolved_title(data["document_type"], data["document_number"], resolution)
    uow.session.execute(pg_insert(ApprovalOutcome).values(
        approval_id=data["approval_id"], resolution=resolution, title=title, resolved_at=utcnow())
        .on_conflict_do_nothing(index_elements=["approval_id"]))
    _resolve(uow, _step_keys(uow, data["approval_id"]), resolution, title)


def mark_read(uow, principal: Principal, notification_id) -> dict:
    principal.require("notifications.read")
    if not is_uuid(notification_id):
        raise NotFound("Notification not found")
    with uow:
        found = uow.session.execute(select(Notification.id).where(
            Notification.id == str(notification_id), visible_to(principal))).scalar_one_or_none()
        if found is None:
            raise NotFound("Notification not found")
        return NotificationReadOut().dump(record_read(uow.session, *READS, found, principal.user_id))
