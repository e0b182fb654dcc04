from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_workspace.announcements.schemas import ReceiptOut


class NotificationOut(Schema):
    """Addressing and scope columns stay inside: they say who else is told, not what happened."""
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String()
    created_at = fields.DateTime()
    # set once the question is no longer open (an approval decided, withdrawn or moved on)
    resolved_at = fields.DateTime()
    resolution = fields.String()
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
