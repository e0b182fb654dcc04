from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.validation import StrictSchema
from crm_workspace.calendar.rules import VIEWS, span_problem
from crm_workspace.fields import instant, title_field


class CalendarEventIn(StrictSchema):
    title = title_field(required=True)
    location = fields.String(validate=validate.Length(max=200), load_default=None)
    notes = fields.String(validate=validate.Length(max=5000), load_default=None)
    starts_at = instant(required=True)
    ends_at = instant(required=True)
    all_day = fields.Boolean(load_default=False)
    shared = fields.Boolean(load_default=False)

    @validates_schema
    def _sane_span(self, data, partial=False, **kwargs):
        if "starts_at" in data and "ends_at" in data:
            problem = span_problem(data["starts_at"], data["ends_at"])
            if problem:
                raise ValidationError(problem, "ends_at")


class CalendarEventOut(Schema):
    id = fields.String()
    title = fields.String()
    location = fields.String()
    notes = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    all_day = fields.Boolean()
    shared = fields.Boolean()
    owner_id = fields.String()
    created_at = fields.DateTime()


class CalendarQuery(StrictSchema):
    """Either a view around a date, or an explicit from/to range."""
    view = fields.String(validate=validate.OneOf(VIEWS))
    date = fields.Date()
    from_ = instant(data_key="from")
    to = instant()
    mine = fields.Boolean(load_default=False)

    @validates_schema
    def _one_way(self, data, **kwargs):
        explicit = "from_" in data or "to" in data
        if explicit and ("view" in data or "date" in data):
            raise ValidationError("Use either view and date, or from and to.")
        if explicit and not ("from_" in data and "to" in data):
            raise ValidationError("from and to go together.")
        if not explicit and "view" not in data:
            raise ValidationError("view (day, week, month) or from and to is required.")


class CalendarRangeOut(Schema):
    """The events of one range, whole: a calendar view is not paged."""
    from_ = fields.DateTime(data_key="from")
    to = fields.DateTime()
    items = fields.List(fields.Nested(CalendarEventOut))
