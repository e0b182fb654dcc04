"""Boundary schemas of the approval engine (SAL-07)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_sales.approvals.rules import (DOCUMENT_TYPES, FALLBACKS, KINDS, MAX_LEVELS, MODES,
                                      NO_APPROVER, RESTART, TARGETS)


def percent_in(**kwargs):
    return fields.Decimal(allow_nan=False, as_string=True, validate=validate.Range(0, 100), places=2, **kwargs)


class ConditionsIn(StrictSchema):
    min_amount = money_in(as_string=True)
    min_discount_percent = percent_in()
    customer_levels = fields.List(fields.String(validate=validate.Length(min=1, max=40)),
                                  validate=validate.Length(max=20))
    discount_over_limit = fields.Boolean()


PERMISSION = validate.Regexp(r"^[a-z_]+\.[a-z_]+$")
# what each kind takes (required, then optional); anything else given is refused
KIND_FIELDS = {
    "users": ((), ("user_ids", "user_id", "mode")),
    "superior": ((), ("level", "fallback")),
    "superiors": (("up_to",), ()),
    "role": (("role_id",), ("mode",)),
    "chosen": ((), ("mode",)),
    "permission": (("permission",), ("target",)),
    "department_head": (("permission",), ()),
}


class ApproverIn(StrictSchema):
    """One of the kinds of rules.KIND; without `kind`, a permission (with a target) or one user_id,
    as flows were written before the kinds came."""
    kind = fields.String(validate=validate.OneOf(KINDS))
    permission = fields.String(validate=PERMISSION)
    target = fields.String(validate=validate.OneOf(TARGETS))
    user_id = fields.UUID()
    user_ids = fields.List(fields.UUID(), validate=validate.Length(min=1, max=20))
    mode = fields.String(validate=validate.OneOf(MODES), metadata={
        "description": "users: sequence (default), all (会签) or any (或签); role and chosen: all or any."})
    level = fields.Integer(validate=validate.Range(1, MAX_LEVELS), metadata={"description": "superior: the Nth level"})
    fallback = fields.String(validate=validate.OneOf(FALLBACKS), metadata={
        "description": "superior: no superior at that level -> the highest there is (nearest, default) or none"})
    up_to = fields.Integer(validate=validate.Range(1, MAX_LEVELS))
    role_id = fields.UUID()

    @validates_schema
    def _one_kind(self, data, **kwargs):
        kind = data.get("kind")
        if kind is None:
            if bool(data.get("permission")) == bool(data.get("user_id")):
                raise ValidationError("Name either a permission (with a target) or a user_id.", "_schema")
            kind = "users" if data.get("user_id") else "permission"
        required, optional = KIND_FIELDS[kind]
        errors = {name: ["Required for this kind."] for name in required if name not in data}
        errors.update({name: [f"Not taken by the kind {kind}."] for name in data
                       if name != "kind" and name not in required and name not in optional})
        if kind == "users" and not errors and bool(data.get("user_ids")) == bool(data.get("user_id")):
            errors["user_ids"] = ["Name the users (user_ids)."]
        if kind in ("role", "chosen") and data.get("mode") == "sequence":
            errors["mode"] = ["all or any."]
        if errors:
            raise ValidationError(errors)


class StepIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    conditions = fields.Nested(ConditionsIn, load_default=dict)
    approver = fields.Nested(ApproverIn, required=True)


class FlowUpdateIn(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    allow_self_approval = fields.Boolean()
    steps = fields.List(fields.Nested(StepIn), validate=validate.Length(min=1, max=20))
    no_approver = fields.String(validate=validate.OneOf(NO_APPROVER), metadata={
        "description": "A stage nobody can approve: auto_pass (default) or admin (the admin_user_id)."})
    admin_user_id = fields.UUID(allow_none=True)
    restart = fields.String(validate=validate.OneOf(RESTART), metadata={
        "description": "A resubmission after a rejection starts at the first step (default) or the rejecting one."})


class FlowIn(FlowUpdateIn):
    document_type = fields.String(required=True, validate=validate.OneOf(DOCUMENT_TYPES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    allow_self_approval = fields.Boolean(load_default=False)
    steps = fields.List(fields.Nested(StepIn), required=True, validate=validate.Length(min=1, max=20))
    no_approver = fields.String(load_default="auto_pass", validate=validate.OneOf(NO_APPROVER))
    restart = fields.String(load_default="first", validate=validate.OneOf(RESTART))


def user_ids_of(steps: list) -> set:
    """The users and roles a flow names (the gateway checks that they exist)."""
    named = set()
    for step in steps:
        approver = step["approver"]
        named.update(str(u) for u in approver.get("user_ids", ()))
        if approver.get("user_id"):
            named.add(str(approver["user_id"]))
    return named


class FlowOut(Schema):
    id = fields.String()
    document_type = fields.String()
    name = fields.String()
    version = fields.Integer()
    allow_self_approval = fields.Boolean()
    steps = fields.List(fields.Dict())
    no_approver = fields.String()
    admin_user_id = fields.String()
    restart = fields.String()
    retired_at = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FlowListQuery(ListQuery):
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES))
    retired = fields.Boolean(metadata={"description": "Without it, live flows only."})


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
    current_user_ids = fields.List(fields.String(), metadata={
        "description": "Who may act on the waiting stage of users (会签: those who have not approved yet)."})
    created_at = fields.DateTime()
    decided_at = fields.DateTime()
    actions = fields.List(fields.Nested(ActionOut))
    may_decide = fields.Boolean(metadata={
        "description": "Whether the caller may approve or reject the waiting stage now (on one approval and on a "
                       "document's history; the approval desk lists only what waits for the caller)."})


class PendingQuery(ListQuery):
    document_type = fields.String(validate=validate.OneOf(DOCUMENT_TYPES))


APPROVERS = fields.List(fields.UUID(), validate=validate.Length(min=1, max=20), metadata={
    "description": "发起人自选: the approvers of the flow's `chosen` step, active users of the branch."})


class SubmitIn(StrictSchema):
    """Submitting a document for approval: the approvers the submitter chooses, if the flow asks."""
    approvers = APPROVERS


class PreviewIn(StrictSchema):
    """Who would approve a document submitted now by the caller: name the document (orders,
    contracts and returns of sales) or give the facts its flow's conditions read."""
    document_type = fields.String(required=True, validate=validate.OneOf(DOCUMENT_TYPES))
    document_id = fields.UUID()
    amount = money_in(as_string=True)
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    discount_percent = percent_in()
    customer_level = fields.String(validate=validate.Length(min=1, max=40))
    approvers = APPROVERS


class ApprovalStageOut(Schema):
    step = fields.Integer(metadata={"description": "From 1."})
    name = fields.String()
    kind = fields.String()
    mode = fields.String(metadata={"description": "all (会签) or any (或签)"})
    user_ids = fields.List(fields.String())
    permission = fields.String()
    target = fields.String()
    fallback = fields.String(metadata={"description": "nearest (a lower superior) or admin, when used"})
    auto_passed = fields.Boolean()
    to_choose = fields.Boolean(metadata={"description": "发起人自选: the submitter names them at submit time."})


class PreviewOut(Schema):
    document_type = fields.String()
    configured = fields.Boolean(metadata={"description": "False: the document type's default flow."})
    flow_version = fields.Integer()
    stages = fields.List(fields.Nested(ApprovalStageOut))


class PersonIn(StrictSchema):
    user_id = fields.UUID(required=True)
    branch = fields.String(required=True, validate=validate.Length(min=1, max=20))
    manager_id = fields.UUID(allow_none=True, load_default=None)
    role_ids = fields.List(fields.UUID(), load_default=list)
    active = fields.Boolean(required=True)


class PeopleIn(StrictSchema):
    people = fields.List(fields.Nested(PersonIn), required=True, validate=validate.Length(min=1, max=5000))
    missing_only = fields.Boolean(load_default=False, metadata={
        "description": "Add only the people the engine does not know yet (the upgrade's sync): a user "
                       "saved meanwhile was sent by that save and is newer than this list."})


class SyncedOut(Schema):
    synced = fields.Integer()
