"""Boundaries of the personal desk: calendar, diary, plans, reminders."""
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.validation import StrictSchema
from crm_workspace.models_desk import PLAN_PERIODS, REMINDER_STATUSES
from crm_workspace.periods import VIEWS

MAX_EVENT_LENGTH = timedelta(days=31)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


def title_field(max_length=200, **kwargs):
    return fields.String(validate=[validate.Length(min=1, max=max_length), not_blank], **kwargs)


def instant(**kwargs):
    """An aware date-time (StrictSchema keeps it within years 1 to 9999 in UTC)."""
    return fields.AwareDateTime(**kwargs)


def span_problem(start, end) -> str | None:
    if end < start:
        return "Must not be earlier than starts_at."
    if end - start > MAX_EVENT_LENGTH:
        return f"An event lasts at most {MAX_EVENT_LENGTH.days} days."
    return None


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


class DiaryEntryIn(StrictSchema):
    entry_date = fields.Date(required=True)
    title = title_field(required=True)
    content = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class DiaryEntryOut(Schema):
    id = fields.String()
    entry_date = fields.Date()
    title = fields.String()
    content = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    created_at = fields.DateTime()


class DateRangeQuery(ListQuery):
    date_from = fields.Date()
    date_to = fields.Date()
    owner_id = fields.UUID()


class PlanIn(StrictSchema):
    period = fields.String(required=True, validate=validate.OneOf(PLAN_PERIODS))
    day = fields.Date(required=True)  # any day of the period; stored as the period's first day
    title = title_field(required=True)
    content = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class PlanRecordIn(StrictSchema):
    content = fields.String(required=True, validate=[validate.Length(min=1, max=5000), not_blank])


class PlanRecordOut(Schema):
    id = fields.String()
    author_id = fields.String()
    content = fields.String()
    recorded_at = fields.DateTime()


class PlanOut(Schema):
    id = fields.String()
    period = fields.String()
    period_start = fields.Date()
    title = fields.String()
    content = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    created_at = fields.DateTime()


class PlanDetailOut(PlanOut):
    records = fields.List(fields.Nested(PlanRecordOut))  # oldest first


class PlanQuery(DateRangeQuery):
    period = fields.String(validate=validate.OneOf(PLAN_PERIODS))


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
