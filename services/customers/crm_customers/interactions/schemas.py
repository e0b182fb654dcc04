from marshmallow import ValidationError, fields, validate, validates_schema

from crm_common.dumping import FastDump
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.interactions.models import INTERACTION_KINDS

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class InteractionIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(INTERACTION_KINDS))
    occurred_at = fields.AwareDateTime(load_default=None)
    contact_id = fields.UUID(allow_none=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    next_step = _text(2000)
    next_followup_on = fields.Date(allow_none=True)


class InteractionOut(FastDump):
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


class InteractionRowOut(InteractionOut):
    customer_name = fields.String()


class InteractionsQuery(ListQuery):
    """Interactions (visit reports: `kind=visit`) across the customers in scope; `since` and
    `until` are days of the branch, both included."""
    kind = fields.String(validate=validate.OneOf(INTERACTION_KINDS))
    author_id = fields.UUID()
    customer_id = fields.UUID()
    contact_id = fields.UUID()
    since = fields.Date()
    until = fields.Date()

    @validates_schema
    def _period(self, data, **kwargs):
        if "since" in data and "until" in data and data["until"] < data["since"]:
            raise ValidationError("Must not be before since.", "until")
