from marshmallow import Schema, ValidationError, fields, validate, validates

from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.validation import StrictSchema
from crm_workspace.fields import instant, title_field
from crm_workspace.reminders.rules import REMINDER_STATUSES


class ReminderIn(StrictSchema):
    title = title_field(300, required=True)
    notes = fields.String(validate=validate.Length(max=5000), load_default=None)
    due_at = instant(required=True)

    @validates("due_at")
    def _in_future(self, value, **kwargs):
        if value <= utcnow():
            raise ValidationError("Must be in the future.")


class ReminderOut(Schema):
    id = fields.String()
    title = fields.String()
    notes = fields.String()
    due_at = fields.DateTime()
    status = fields.String()
    fired_at = fields.DateTime()
    source = fields.String()
    link = fields.String()
    created_at = fields.DateTime()


class ReminderQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(REMINDER_STATUSES))
    due_before = instant()
