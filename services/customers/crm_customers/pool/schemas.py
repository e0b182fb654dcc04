"""What clients send and get for ownership and the pools: assignments, pools and their people and
rules, the default pool's settings, runs of the jobs, protection extension requests (CUS-07, CUS-15)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.team_rules import ACCESS
from crm_common.validation import ResolvedUser, StrictSchema
from crm_customers.customers.schemas import CustomerListQuery, CustomerOut
from crm_customers.pool.rules import rule_problems


class PoolCustomerOut(CustomerOut):
    """A customer in a pool, with how and when it got there (the latest owner change into it)."""
    pool_reason = fields.String(metadata={"description": "released (by its owner) or recycled (no follow-up)"})
    pooled_at = fields.DateTime()


class TransferOptions(StrictSchema):
    """A transfer's two options (issue 17): the previous owner stays on the team with this access
    (none: they leave it), and the customer's opportunities and contracts of the previous owner
    move along in sales."""
    keep_previous_owner = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ACCESS))
    carry_related = fields.Boolean(load_default=False)


class AssignIn(TransferOptions):
    owner = fields.Nested(ResolvedUser, required=True)


class TransferAllIn(TransferOptions):
    from_ = fields.Nested(ResolvedUser, required=True, data_key="from")
    to = fields.Nested(ResolvedUser, required=True)


class HandOverIn(StrictSchema):
    from_ = fields.Nested(ResolvedUser, required=True, data_key="from")
    to = fields.Nested(ResolvedUser, required=True)


class HandOverOut(Schema):
    id = fields.String()
    from_user_id = fields.String()
    to_user_id = fields.String()
    requested_by = fields.String()
    status = fields.String(metadata={"description": "running until every service reported, then done"})
    counts = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                         metadata={"description": "per service, what it handed over: {\"sales\": {\"orders\": 2}}"})
    pending_services = fields.List(fields.String())
    created_at = fields.DateTime()
    done_at = fields.DateTime()


_DAYS = dict(validate=validate.Range(1, 3650), allow_none=True)
_PATH = validate.Regexp(r"^(/[^/]+)+/$", error="A department path such as /1/7/.")


class PoolRuleIn(StrictSchema):
    """One value level's rule ('*': the whole pool's, set once): recycle after the first of the
    three clocks that is set."""
    value_level = fields.String(required=True, validate=validate.Length(min=1, max=40))
    days_without_followup = fields.Integer(load_default=None, **_DAYS)
    days_without_opportunity = fields.Integer(load_default=None, **_DAYS)
    days_without_deal = fields.Integer(load_default=None, **_DAYS)
    notice_days = fields.Integer(load_default=3, validate=validate.Range(0, 365))
    protection_days = fields.Integer(load_default=0, validate=validate.Range(0, 3650))

    @validates_schema
    def _one_clock(self, data, **kwargs):
        problems = rule_problems(data)
        if problems:
            raise ValidationError(problems)


def _one_rule_per_level(data):
    # a value level is the rule's key: two rules for one level would contradict each other
    levels = [rule["value_level"] for rule in data.get("rules", [])]
    if len(levels) != len(set(levels)):
        raise ValidationError("At most one rule per value level.", "rules")


class PoolIn(StrictSchema):
    """A pool as an admin creates (name required) or changes it (PATCH: what is sent). `rules`
    replaces every rule of the pool."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    department_path = fields.String(allow_none=True, validate=[validate.Length(max=300), _PATH], metadata={
        "description": "the department (and its subtree) whose customers belong to the pool; empty: only the default"})
    daily_claim_quota = fields.Integer(validate=validate.Range(0, 10000))
    reclaim_block_days = fields.Integer(validate=validate.Range(0, 3650))
    owned_limit = fields.Integer(allow_none=True, validate=validate.Range(0, 1_000_000))
    locked_limit = fields.Integer(allow_none=True, validate=validate.Range(0, 1_000_000))
    exempt_won = fields.Boolean()
    exempt_open_opportunity = fields.Boolean()
    rules = fields.List(fields.Nested(PoolRuleIn), validate=validate.Length(max=50))

    @validates_schema
    def _rules(self, data, **kwargs):
        _one_rule_per_level(data)


class PoolPeopleIn(StrictSchema):
    """Who may claim (members) and assign (admins) from the pool, as the gateway resolved them;
    the lists replace the pool's people. Both empty: open to the branch."""
    members = fields.List(fields.Nested(ResolvedUser), load_default=list, validate=validate.Length(max=1000))
    admins = fields.List(fields.Nested(ResolvedUser), load_default=list, validate=validate.Length(max=200))


class PoolRuleOut(Schema):
    value_level = fields.String()
    days_without_followup = fields.Integer()
    days_without_opportunity = fields.Integer()
    days_without_deal = fields.Integer()
    notice_days = fields.Integer()
    protection_days = fields.Integer()


class PoolOut(Schema):
    id = fields.String()
    name = fields.String()
    branch = fields.String()
    department_path = fields.String()
    is_default = fields.Boolean()
    daily_claim_quota = fields.Integer()
    reclaim_block_days = fields.Integer()
    owned_limit = fields.Integer()
    locked_limit = fields.Integer()
    exempt_won = fields.Boolean()
    exempt_open_opportunity = fields.Boolean()
    rules = fields.List(fields.Nested(PoolRuleOut))
    members = fields.List(fields.String())
    admins = fields.List(fields.String())
    my_role = fields.String(metadata={"description": "member, admin or null (an open pool, or not yours)"})
    may_claim = fields.Boolean()
    customers = fields.Integer(metadata={"description": "customers sitting in the pool"})


class PoolListQuery(CustomerListQuery):
    pool_id = fields.UUID(metadata={"description": "one pool; absent: every pool the caller may claim from"})


class NightlyRunOut(Schema):
    day = fields.Date(metadata={"description": "the branch day the run belongs to"})
    ran = fields.Boolean(metadata={"description": "false: that day's run had already happened"})
    refreshed = fields.Integer()
    warned = fields.Integer()
    recycled = fields.Integer()
    reminders = fields.Integer()


class RecycleRuleIn(StrictSchema):
    value_level = fields.String(required=True, validate=validate.Length(min=1, max=40))
    days_without_followup = fields.Integer(required=True, validate=validate.Range(1, 3650))
    notice_days = fields.Integer(load_default=3, validate=validate.Range(0, 365))
    protection_days = fields.Integer(load_default=0, validate=validate.Range(0, 3650))


class PoolSettingsIn(StrictSchema):
    daily_claim_limit = fields.Integer(validate=validate.Range(0, 10000))
    rules = fields.List(fields.Nested(RecycleRuleIn), validate=validate.Length(max=50))

    @validates_schema  # after the fields: skipped when a rule itself is invalid
    def _rules(self, data, **kwargs):
        _one_rule_per_level(data)


class RunJobsIn(StrictSchema):
    now = fields.AwareDateTime(load_default=None)


class ExtensionIn(StrictSchema):
    days = fields.Integer(required=True, validate=validate.Range(1, 365))
    reason = fields.String(validate=validate.Length(max=500), allow_none=True)


class RecycleRuleOut(Schema):
    value_level = fields.String()
    days_without_followup = fields.Integer()
    notice_days = fields.Integer()
    protection_days = fields.Integer()


class PoolSettingsOut(Schema):
    daily_claim_limit = fields.Integer()
    rules = fields.List(fields.Nested(RecycleRuleOut))


class RunJobsOut(Schema):
    warned = fields.Integer()
    recycled = fields.Integer()
    reminders = fields.Integer()
    skipped = fields.Boolean()  # another replica was running the jobs at that moment


class ExtensionRequestOut(Schema):
    id = fields.String()
    customer_id = fields.String()
    requested_by = fields.String()
    days = fields.Integer()
    reason = fields.String()
    status = fields.String()
    decided_by = fields.String()
    comment = fields.String()
    decided_at = fields.DateTime()
    created_at = fields.DateTime()


class ExtensionRequestDetailOut(ExtensionRequestOut):
    """GET /extension-requests/{id}: the customer is named, for an approver who may not see it."""
    customer_name = fields.String()


class TransferAllOut(Schema):
    moved = fields.Integer()
