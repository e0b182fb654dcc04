"""Schemas of ownership, pool, interactions, relations, after-sales, statistics and import."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_customers.complaint_rules import ACTIONS
from crm_customers.lifecycle_rules import LEAD_STAGES
from crm_customers.models import INTERACTION_KINDS, RELATION_KINDS
from crm_customers.schemas import CustomerFilters, CustomerListQuery

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class ResolvedUser(StrictSchema):
    """A user as the gateway resolved it from its directory (never client input)."""
    id = fields.String(required=True)
    department_path = fields.String(required=True)
    branch = fields.String(required=True)
    active = fields.Boolean(required=True)


class AssignIn(StrictSchema):
    owner = fields.Nested(ResolvedUser, required=True)


class TransferAllIn(StrictSchema):
    from_ = fields.Nested(ResolvedUser, required=True, data_key="from")
    to = fields.Nested(ResolvedUser, required=True)


class PoolListQuery(CustomerListQuery):
    pass


class RecycleRuleIn(StrictSchema):
    value_level = fields.String(required=True, validate=validate.Length(min=1, max=40))
    days_without_followup = fields.Integer(required=True, validate=validate.Range(1, 3650))
    notice_days = fields.Integer(load_default=3, validate=validate.Range(0, 365))
    protection_days = fields.Integer(load_default=0, validate=validate.Range(0, 3650))


class PoolSettingsIn(StrictSchema):
    daily_claim_limit = fields.Integer(validate=validate.Range(0, 10000))
    rules = fields.List(fields.Nested(RecycleRuleIn), validate=validate.Length(max=50))

    @validates_schema  # after the fields: skipped when a rule itself is invalid
    def _one_rule_per_level(self, data, **kwargs):
        # a value level is the rule's key: two rules for one level would contradict each other
        levels = [rule["value_level"] for rule in data.get("rules", [])]
        if len(levels) != len(set(levels)):
            raise ValidationError("At most one rule per value level.", "rules")


class RunJobsIn(StrictSchema):
    now = fields.AwareDateTime(load_default=None)


class StageIn(StrictSchema):
    stage = fields.String(required=True, validate=validate.OneOf(LEAD_STAGES))


class ExtensionIn(StrictSchema):
    days = fields.Integer(required=True, validate=validate.Range(1, 365))
    reason = _text(500)


class InteractionIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(INTERACTION_KINDS))
    occurred_at = fields.AwareDateTime(load_default=None)
    contact_id = fields.UUID(allow_none=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    next_step = _text(2000)
    next_followup_on = fields.Date(allow_none=True)


class InteractionOut(Schema):
    id = fields.String()
    customer_id = fields.String()
    contact_id = fields.String()
    author_id = fields.String()
    kind = fields.String()
    occurred_at = fields.DateTime()
    summary = fields.String()
    next_step = fields.String()
    next_followup_on = fields.Date()
    copied_from_id = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RelationIn(StrictSchema):
    to_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(RELATION_KINDS))
    notes = _text(500)


class ServiceRecordIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    occurred_at = fields.AwareDateTime(required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class CareRecordIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("gift", "greeting", "visit", "other")))
    occurred_on = fields.Date(required=True)
    contact_id = fields.UUID(allow_none=True)
    notes = _text(5000)


class ExpenseIn(StrictSchema):
    category = fields.String(required=True,
                             validate=validate.OneOf(("travel", "gift", "entertainment", "other")))
    amount = money_in(positive=True, required=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    spent_on = fields.Date(required=True)
    notes = _text(5000)


class ImportantDateIn(StrictSchema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    date = fields.Date(required=True)
    contact_id = fields.UUID(allow_none=True)
    remind_days_before = fields.Integer(load_default=3, validate=validate.Range(0, 60))


class ComplaintIn(StrictSchema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    detail = _text(10000)


class ComplaintActionIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    handler_id = fields.UUID()  # for "assign"; the gateway resolves it and passes the user along
    result = _text(10000)
    satisfaction = fields.Integer(validate=validate.Range(1, 5), allow_none=True)


class StatisticsQuery(CustomerFilters):
    by = fields.String(required=True, validate=validate.OneOf(
        ("value_level", "source", "region", "industry", "status", "month", "quarter", "year")))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)


class ImportIn(StrictSchema):
    dry_run = fields.Boolean(load_default=False)
    all_or_nothing = fields.Boolean(load_default=False)


class ImportChunkIn(StrictSchema):
    first_row = fields.Integer(required=True, validate=validate.Range(1, 10_000_000))
    csv = fields.String(required=True, validate=validate.Length(min=1, max=900_000))


class SubListQuery(ListQuery):
    pass


class MergeIn(StrictSchema):
    source_id = fields.UUID(required=True)


class StatisticsItemOut(Schema):
    key = fields.String()  # by a dimension: its value ("province/city" for region)
    period = fields.Date()  # by month, quarter or year: the first day of the period
    count = fields.Integer()


class StatisticsOut(Schema):
    by = fields.String()
    items = fields.List(fields.Nested(StatisticsItemOut))


class ExportOut(Schema):
    csv = fields.String()
    count = fields.Integer()
    truncated = fields.Boolean()  # more customers matched than one export holds


class ImportRowErrorOut(Schema):
    row = fields.Integer()
    errors = fields.Dict()


class ImportJobOut(Schema):
    id = fields.String()
    status = fields.String()
    dry_run = fields.Boolean()
    all_or_nothing = fields.Boolean()
    total = fields.Integer()
    processed = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    error_count = fields.Integer()
    errors = fields.List(fields.Nested(ImportRowErrorOut))
    finished_at = fields.DateTime()
