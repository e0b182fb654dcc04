"""Answers of the customer pool: its settings, a run of its jobs, protection extension requests."""
from marshmallow import Schema, fields

from crm_customers.schemas import CustomerOut


class PoolCustomerOut(CustomerOut):
    """A customer in the pool, with how and when it got there (the latest owner change into it)."""
    pool_reason = fields.String(metadata={"description": "released (by its owner) or recycled (no follow-up)"})
    pooled_at = fields.DateTime()


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


class TransferAllOut(Schema):
    moved = fields.Integer()
