"""Boundary schemas of the approval engine (SAL-07)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_sales.approvals.rules import DOCUMENT_TYPES, TARGETS


def percent_in(**kwargs):
    return fields.Decimal(allow_nan=False, as_string=True, validate=validate.Range(0, 100), places=2, **kwargs)


class ConditionsIn(StrictSchema):
    min_amount = money_in(as_string=True)
    min_discount_percent = percent_in()
    customer_levels = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                                  validate=validate.Length(max=20))
    discount_over_limit = fields.Boolean()


class ApproverIn(StrictSchema):
    permission = fields.String(validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$"))
    target = fields.String(validate=validate.OneOf(TARGETS))
    user_id = fields.UUID()

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if bool(data.get("permission")) == bool(data.get("user_id")):
            raise ValidationError("Name either a permission (with a target) or a user_id.", "_schema")
        if data.get("user_id") and data.get("target"):
            raise ValidationError("A named user needs no target.", "target")


class StepIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    conditions = fields.Nested(ConditionsIn, load_default=dict)
    approver = fields.Nested(ApproverIn, required=True)


class FlowIn(StrictSchema):
    document_type = fields.String(required=True, validate=validate.OneOf(DOCUMENT_TYPES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    allow_self_approval = fields.Boolean(load_default=False)
    steps = fields.List(fields.Nested(StepIn), required=True, validate=validate.Length(min=1, max=20))


class FlowUpdateIn(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    allow_self_approval = fields.Boolean()
    steps = fields.List(fields.Nested(StepIn), validate=validate.Length(min=1, max=20))


class FlowOut(Schema):
    id = fields.String()
    document_type = fields.String()
    name = fields.String()
    version = fields.Integer()
    allow_self_approval = fields.Boolean()
    steps = fields.List(fields.Dict())
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FlowListQuery(ListQuery):
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES))


class StepNumber(fields.Integer):
    """A step as people count them, from 1; the engine keeps its index from 0."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else super()._serialize(value + 1, attr, obj, **kwargs)


class DecisionIn(StrictSchema):
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))
    # Optional: without it the current step is decided. The step the approver saw, from 1: a stale
    # click on an already decided step is a 409, not a silent approval of the next step.
    step = fields.Integer(validate=validate.Range(1, 100))


class RejectionIn(DecisionIn):
    comment = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ActionOut(Schema):
    step = StepNumber(attribute="step_index")
    step_name = fields.String()
    actor_id = fields.String()
    action = fields.String()
    comment = fields.String()
    created_at = fields.DateTime()


class InstanceOut(Schema):
    id = fields.String()
    document_type = fields.String()
    document_id = fields.String()
    document_number = fields.String()
    flow_version = fields.Integer()
    status = fields.String()
    current_step = StepNumber(metadata={"description": "From 1; the step waiting, or the last one reached."})
    steps = fields.List(fields.Dict())
    facts = fields.Dict()
    submitter_id = fields.String()
    created_at = fields.DateTime()
    decided_at = fields.DateTime()
    actions = fields.List(fields.Nested(ActionOut))


class PendingQuery(ListQuery):
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES))
