from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import ResolvedUser, StrictSchema
from crm_workspace.calls.rules import CALL_SOURCES, CALL_STATUSES, WORK_ORDER_STATUSES
from crm_workspace.fields import instant, not_blank, title_field

MAX_STATS_DAYS = 366


class CallIn(StrictSchema):
    phone = fields.String(required=True, validate=validate.Length(min=3, max=30))
    caller_name = fields.String(validate=validate.Length(max=100), load_default=None)
    source = fields.String(load_default="phone", validate=validate.OneOf(CALL_SOURCES))
    category_id = fields.UUID(load_default=None)
    summary = fields.String(required=True, validate=[validate.Length(min=1, max=5000), not_blank])
    received_at = instant(load_default=None)


class CallHandleIn(StrictSchema):
    result = fields.String(required=True, validate=[validate.Length(min=1, max=5000), not_blank])


class CallOut(Schema):
    id = fields.String()
    phone = fields.String()
    caller_name = fields.String()
    source = fields.String()
    category_id = fields.String()
    summary = fields.String()
    received_at = fields.DateTime()
    customer_id = fields.String()
    customer_name = fields.String()
    contact_id = fields.String()
    contact_name = fields.String()
    status = fields.String()
    result = fields.String()
    handled_at = fields.DateTime()
    handled_by = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()


class CallQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(CALL_STATUSES))
    phone = fields.String(validate=validate.Length(max=30))
    customer_id = fields.UUID()


class WorkOrderIn(StrictSchema):
    call_id = fields.UUID(load_default=None)
    category_id = fields.UUID(required=True)
    title = title_field(required=True)
    description = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    source = fields.String(load_default=None, validate=validate.OneOf(CALL_SOURCES))


class WorkOrderCloseIn(StrictSchema):
    resolution = fields.String(required=True, validate=[validate.Length(min=1, max=5000), not_blank])


class WorkOrderAssignIn(StrictSchema):
    assignee = fields.Nested(ResolvedUser, required=True)


class WorkOrderOut(Schema):
    id = fields.String()
    number = fields.String()
    call_id = fields.String()
    category_id = fields.String()
    source = fields.String()
    title = fields.String()
    description = fields.String()
    customer_id = fields.String()
    status = fields.String()
    resolution = fields.String()
    closed_at = fields.DateTime()
    owner_id = fields.String(metadata={"description": "Who handles it: its assignee"})
    department_path = fields.String()
    created_at = fields.DateTime()


class WorkOrderQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(WORK_ORDER_STATUSES))
    category_id = fields.UUID()
    assigned_to = fields.String(validate=validate.OneOf(["me"]))


class StatsQuery(StrictSchema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)  # inclusive

    @validates_schema
    def _bounded(self, data, **kwargs):
        if "date_from" in data and "date_to" in data:
            days = (data["date_to"] - data["date_from"]).days
            if days < 0:
                raise ValidationError("Must not be earlier than date_from.", "date_to")
            if days >= MAX_STATS_DAYS:
                raise ValidationError(f"A period spans at most {MAX_STATS_DAYS} days.", "date_to")


class CountOut(Schema):
    key = fields.String()  # a source, status or category id; null for calls without a category
    count = fields.Integer()


class CallStatisticsOut(Schema):
    date_from = fields.Date()
    date_to = fields.Date()
    calls_by_source = fields.List(fields.Nested(CountOut))
    calls_by_category = fields.List(fields.Nested(CountOut))
    calls_by_status = fields.List(fields.Nested(CountOut))
    work_orders_by_source = fields.List(fields.Nested(CountOut))
    work_orders_by_category = fields.List(fields.Nested(CountOut))
