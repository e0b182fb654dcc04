"""The home dashboard (WSP-10): one call, the first screen. Each section only for callers who
hold its permission; every count is scoped like its own list. A handful of indexed queries in
one transaction (figures in docs/benchmarks.md)."""
from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.principal import Principal, scope_filter
from crm_common.records import utcnow
from crm_workspace.announcements import queries as announcements
from crm_workspace.announcements.models import Announcement
from crm_workspace.calendar import queries as calendar
from crm_workspace.calendar.models import CalendarEvent
from crm_workspace.calendar.schemas import CalendarEventOut
from crm_workspace.calls.models import CallRecord, WorkOrder
from crm_workspace.notifications import queries as notifications
from crm_workspace.notifications.models import Notification
from crm_workspace.notifications.schemas import NotificationOut
from crm_workspace.reminders.models import Reminder
from crm_workspace.reminders.schemas import ReminderOut

SECTION_SIZE = 5
# The first screen shows "99+", not 12 345: capping keeps every count O(cap) however large the
# inbox grows. The lists' own endpoints (e.g. /notifications/unread-count) stay exact.
COUNT_CAP = 100


def _count(session, stmt) -> int:
    return session.execute(select(func.count()).select_from(stmt.limit(COUNT_CAP).subquery())).scalar_one()


def summary(uow, principal: Principal) -> dict:
    now = utcnow()
    zone = branch_time.zone()  # the branch's today, not the UTC one (which starts at 08:00 in Beijing)
    today = branch_time.today(now, zone)
    out, counts = {}, {}
    with uow:
        s = uow.session
        if principal.has("notifications.read"):
            unread = select(Notification.id).where(notifications.visible_to(principal),
                                                   notifications.unread_for(principal))
            counts["unread_notifications"] = _count(s, unread)
            rows = s.execute(select(Notification).where(Notification.id.in_(unread))
                             .order_by(Notification.created_at.desc(), Notification.id.desc())
                             .limit(SECTION_SIZE)).scalars().all()
            out["notifications"] = [dict(NotificationOut().dump(r), read=False) for r in rows]
        if principal.has("reminders.use"):
            due = select(Reminder).where(Reminder.owner_id == principal.user_id, Reminder.status != "done",
                                         Reminder.due_at < branch_time.end_of_day(today, zone))
            counts["due_todos"] = _count(s, due)
            out["todos"] = ReminderOut(many=True).dump(
                s.execute(due.order_by(Reminder.due_at, Reminder.id).limit(SECTION_SIZE)).scalars().all())
        if principal.has("announcements.read"):
            current = announcements.current(principal, now)
            rows = s.execute(current.order_by(Announcement.published_at.desc(), Announcement.id.desc())
                             .limit(SECTION_SIZE)).scalars().all()
            out["announcements"] = announcements.with_read(s, principal, rows)
        if principal.has("calls.read"):
            counts["pending_calls"] = _count(s, select(CallRecord.id).where(
                scope_filter(principal, CallRecord), CallRecord.status == "pending"))
            counts["open_work_orders"] = _count(s, select(WorkOrder.id).where(
                scope_filter(principal, WorkOrder), WorkOrder.status == "open"))
        if principal.has("calendar.use"):
            events = select(CalendarEvent).where(
                calendar.visible_to(principal), CalendarEvent.starts_at < branch_time.end_of_day(today, zone),
                CalendarEvent.ends_at >= branch_time.start_of_day(today, zone))
            out["today_events"] = CalendarEventOut(many=True).dump(
                s.execute(events.order_by(CalendarEvent.starts_at).limit(SECTION_SIZE)).scalars().all())
    return {"counts": counts, "count_cap": COUNT_CAP, **out}
