from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_workspace.diary.rules import PLAN_PERIODS
from crm_workspace.fields import not_blank, title_field


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
