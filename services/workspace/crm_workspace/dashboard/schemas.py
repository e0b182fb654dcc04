from marshmallow import Schema, fields

from crm_workspace.announcements.schemas import AnnouncementOut
from crm_workspace.calendar.schemas import CalendarEventOut
from crm_workspace.notifications.schemas import NotificationOut
from crm_workspace.reminders.schemas import ReminderOut


class DashboardCountsOut(Schema):
    """Each count is capped at DashboardOut.count_cap; a section the caller may not see is absent."""
    unread_notifications = fields.Integer()
    due_todos = fields.Integer()
    pending_calls = fields.Integer()
    open_work_orders = fields.Integer()


class DashboardOut(Schema):
    """The first screen; a list the caller has no permission for is absent, not empty."""
    counts = fields.Nested(DashboardCountsOut)
    count_cap = fields.Integer()
    notifications = fields.List(fields.Nested(NotificationOut))  # the newest unread
    todos = fields.List(fields.Nested(ReminderOut))  # not done, due by the end of the branch's today (overdue ones too)
    announcements = fields.List(fields.Nested(AnnouncementOut))
    today_events = fields.List(fields.Nested(CalendarEventOut))
