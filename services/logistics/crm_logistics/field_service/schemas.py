"""Payloads of the field-service workflow (LOG-04): one schema per step, nothing else accepted."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.money import DEFAULT_CURRENCY
from crm_common.validation import NoInput, StrictSchema, money_in, quantity_in
from crm_logistics.field_service.rules import STATUSES

_text = lambda n, **kw: fields.String(validate=validate.Length(min=1, max=n), **kw)  # noqa: E731


class RepairCallIn(StrictSchema):
    customer_id = fields.UUID(allow_none=True)
    contact_name = _text(100, required=True)
    contact_phone = _text(40, required=True)
    address = _text(200, required=True)
    equipment = _text(100, allow_none=True)
    fault_description = _text(2000, required=True)


class RemindersIn(StrictSchema):
    now = fields.AwareDateTime(load_default=None)


class RemindersOut(Schema):
    reminded = fields.Integer()


class DispatchIn(StrictSchema):
    provider_id = fields.UUID(required=True)
    provider_name = _text(100, required=True)


class ConfirmIn(StrictSchema):
    technician_name = _text(100, required=True)
    technician_phone = _text(40, required=True)


class ProgressIn(StrictSchema):
    arrived_at = fields.AwareDateTime()
    fixed_at = fields.AwareDateTime()
    anomalies = _text(2000)


class PartIn(StrictSchema):
    part_no = _text(60, required=True)
    name = _text(100, required=True)
    quantity = quantity_in(required=True)


class FaultyPartIn(PartIn):
    cause = _text(500)


class ServiceItemIn(StrictSchema):
    item = _text(200, required=True)
    hours = fields.Decimal(allow_nan=False, as_string=True, validate=validate.Range(min=0, max=1000))


class FeedbackIn(StrictSchema):
    actual_start = fields.AwareDateTime(required=True)
    actual_end = fields.AwareDateTime(required=True)
    description = _text(2000, required=True)
    parts_used = fields.List(fields.Nested(PartIn), load_default=list, validate=validate.Length(max=100))
    faulty_parts = fields.List(fields.Nested(FaultyPartIn), load_default=list, validate=validate.Length(max=100))
    service_items = fields.List(fields.Nested(ServiceItemIn), load_default=list, validate=validate.Length(max=100))


class AuditIn(StrictSchema):
    approved = fields.Boolean(required=True)
    comment = _text(500)


class FeeItemIn(StrictSchema):
    description = _text(200, required=True)
    amount = money_in(positive=True, required=True)


class FeeIn(StrictSchema):
    items = fields.List(fields.Nested(FeeItemIn), required=True, validate=validate.Length(min=1, max=100))
    currency = fields.String(load_default=DEFAULT_CURRENCY, validate=validate.Regexp(r"^[A-Z]{3}$"))


class FieldServiceOut(Schema):
    id = fields.String()
    number = fields.String()
    status = fields.String()
    customer_id = fields.String(allow_none=True)
    contact_name = fields.String()
    contact_phone = fields.String()
    address = fields.String()
    equipment = fields.String(allow_none=True)
    fault_description = fields.String()
    provider_id = fields.String(allow_none=True)
    provider_name = fields.String(allow_none=True)
    dispatched_at = fields.DateTime(allow_none=True)
    technician_name = fields.String(allow_none=True)
    technician_phone = fields.String(allow_none=True)
    arrived_at = fields.DateTime(allow_none=True)
    fixed_at = fields.DateTime(allow_none=True)
    anomalies = fields.String(allow_none=True)
    feedback_due_at = fields.DateTime(allow_none=True)
    feedback = fields.Dict(allow_none=True)
    feedback_at = fields.DateTime(allow_none=True)
    feedback_late = fields.Boolean()
    feedback_overdue = fields.Boolean()
    audit_comment = fields.String(allow_none=True)
    fee_items = fields.List(fields.Dict(), allow_none=True)
    fee_total = fields.Decimal(as_string=True, places=2, allow_none=True)
    fee_currency = fields.String(allow_none=True)
    hq_audit_comment = fields.String(allow_none=True)
    settled_at = fields.DateTime(allow_none=True)
    history = fields.List(fields.Dict())
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class FieldServiceListQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    feedback_overdue = fields.Boolean()
    assigned_to = fields.String(validate=validate.OneOf(["me"]))  # dispatched to the caller as provider


# the body each step takes, by action
STEP_SCHEMAS = {"dispatch": DispatchIn, "confirm": ConfirmIn, "progress": ProgressIn, "feedback": FeedbackIn,
                "audit": AuditIn, "fee": FeeIn, "hq_audit": AuditIn, "settle": NoInput}
