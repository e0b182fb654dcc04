from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.validation import StrictSchema
from crm_workspace.audience import AUDIENCE_PATH
from crm_workspace.schemas_desk import CalendarEventOut, ReminderOut, instant


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


class AnnouncementIn(StrictSchema):
    """What an author may write; the author's owner, department and branch are the server's."""
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), _not_blank])
    body = fields.String(required=True, validate=validate.Length(max=20000))
    audience_department_paths = fields.List(
        fields.String(validate=[validate.Length(max=500), validate.Regexp(
            AUDIENCE_PATH, error="Must be a department path like /<id>/<id>/.")]),
        load_default=list, validate=validate.Length(max=200))
    published_at = instant(load_default=None)
    expires_at = instant(load_default=None)

    @validates_schema
    def _expires_after_published(self, data, **kwargs):
        expires, published = data.get("expires_at"), data.get("published_at") or utcnow()
        if expires is not None and expires <= published:
            raise ValidationError("Must be later than published_at.", "expires_at")


class AnnouncementOut(Schema):
    id = fields.String()
    title = fields.String()
    body = fields.String()
    audience_department_paths = fields.List(fields.String())
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    published_at = fields.DateTime()
    expires_at = fields.DateTime()
    created_at = fields.DateTime()
    read = fields.Boolean()  # by the caller; added by the use case, the row does not know its reader


class ReceiptOut(Schema):
    user_id = fields.String()
    read_at = fields.DateTime()


class AnnouncementReadOut(ReceiptOut):
    """The caller's receipt: the first time they read it, however often they mark it again."""
    announcement_id = fields.String()
    read = fields.Boolean(dump_default=True)  # the row exists only once read


class NotificationOut(Schema):
    """Addressing and scope columns stay inside: they say who else is told, not what happened."""
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String()
    created_at = fields.DateTime()
    read = fields.Boolean()  # by the caller; added by the use case


class NotificationReadOut(ReceiptOut):
    notification_id = fields.String()
    read = fields.Boolean(dump_default=True)  # the row exists only once read


class UnreadCountOut(Schema):
    unread = fields.Integer()


class NotificationListQuery(ListQuery):
    # absent: all; true: only unread; false: only read
    unread = fields.Boolean()
    kind = fields.String(validate=validate.Length(min=1, max=50))


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
    todos = fields.List(fields.Nested(ReminderOut))  # not done, due by this time tomorrow
    announcements = fields.List(fields.Nested(AnnouncementOut))
    today_events = fields.List(fields.Nested(CalendarEventOut))
