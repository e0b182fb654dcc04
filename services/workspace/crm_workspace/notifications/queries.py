"""Reads of the notification inbox: what is addressed to the caller, read or not."""
from sqlalchemy import and_, false, func, or_, select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_workspace.db import items_with_read, read_ids, unread_only
from crm_workspace.notifications.models import Notification, NotificationRead
from crm_workspace.notifications.schemas import NotificationListQuery, NotificationOut, UnreadCountOut

SORTS = {"created_at": Notification.created_at}
READS = (NotificationRead, NotificationRead.notification_id)


def visible_to(principal: Principal):
    """Addressed to the caller, or to a permission they hold on a record their scope covers."""
    if not principal.user_id:
        return false()
    return or_(
        Notification.recipient_user_id == principal.user_id,
        and_(Notification.audience_permission.in_(sorted(principal.permissions)),
             scope_filter(principal, Notification)))


def unread_for(principal: Principal):
    return unread_only(*READS, Notification.id, principal.user_id)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("notifications.read")
    q = load_query(NotificationListQuery(), query)
    stmt = select(Notification).where(visible_to(principal))
    if q.get("unread") is True:
        stmt = stmt.where(unread_for(principal))
    elif q.get("unread") is False:
        stmt = stmt.where(~unread_for(principal))
    if "kind" in q:
        stmt = stmt.where(Notification.kind == q["kind"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Notification.id, q, SORTS, "-created_at")
        read = read_ids(uow.session, *READS, [r.id for r in rows], principal.user_id)
        return {"items": items_with_read(NotificationOut(), rows, read), "next_cursor": cursor}


def unread_count(uow, principal: Principal) -> dict:
    principal.require("notifications.read")
    stmt = select(func.count()).select_from(Notification).where(
        visible_to(principal), unread_for(principal))
    with uow:
        return UnreadCountOut().dump({"unread": uow.session.execute(stmt).scalar_one()})
