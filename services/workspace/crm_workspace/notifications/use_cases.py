"""Use cases of the notification inbox (WSP-08). Notifications come only from events and reminders."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_workspace.db import mark_read as record_read
from crm_workspace.notifications.models import Notification
from crm_workspace.notifications.queries import READS, visible_to
from crm_workspace.notifications.schemas import NotificationReadOut


def add(uow, columns: dict) -> None:
    """Called inside the caller's unit of work (event handlers, the reminder timer)."""
    uow.session.add(Notification(id=new_id(), **columns))


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
