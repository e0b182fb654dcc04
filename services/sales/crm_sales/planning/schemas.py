"""Boundary schemas of campaigns (SAL-11) and targets (SAL-10)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_sales.planning.rules import PERIOD, period_bounds


class CampaignIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    budget = money_in(required=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    participants = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=200))

    @validates_schema
    def _dates(self, data, **kwargs):
        if data["ends_on"] < data["starts_on"]:
            raise ValidationError("A campaign cannot end before it starts.", "ends_on")


class CostIn(StrictSchema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    amount = money_in(required=True, positive=True)
    spent_on = fields.Date(required=True)


class TaskIn(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    assignee_id = fields.UUID(allow_none=True)
    due_on = fields.Date(allow_none=True)


class CampaignUpdate(CampaignIn):
    """A PATCH of a campaign: its terms and who takes part (participants replace the list)."""


class LeadIn(StrictSchema):
    customer_id = fields.UUID(required=True)


class CostOut(Schema):
    description = fields.String()
    amount = fields.Decimal(as_string=True)
    spent_on = fields.Date()


class TaskOut(Schema):
    id = fields.String()
    title = fields.String()
    assignee_id = fields.String()
    due_on = fields.Date()
    done = fields.Boolean()


class LeadOut(Schema):
    customer_id = fields.String()
    customer_name = fields.String()
    created_at = fields.DateTime()


class CampaignOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    budget = fields.Decimal(as_string=True)
    currency = fields.String()
    participants = fields.List(fields.String())
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    costs = fields.List(fields.Nested(CostOut))
    tasks = fields.List(fields.Nested(TaskOut))
    leads = fields.List(fields.Nested(LeadOut))
    created_at = fields.DateTime()


class CampaignListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=200))


class CampaignReportOut(Schema):
    campaign_id = fields.String()
    currency = fields.String()
    budget = fields.Decimal(as_string=True)
    cost = fields.Decimal(as_string=True)
    leads = fields.Integer()
    cost_per_lead = fields.Decimal(as_string=True)  # none while the campaign has no lead
    orders = fields.Integer()
    sales = fields.Decimal(as_string=True)
    tasks_open = fields.Integer()


def _on_the_calendar(value: str) -> None:
    # "0000" and "9999-12" match the pattern, but their bounds are dates no calendar holds.
    if PERIOD.match(value):
        try:
            period_bounds(value)
        except ValueError:
            raise ValidationError("No calendar holds this period.") from None


class TargetIn(StrictSchema):
    subject = fields.String(required=True, validate=validate.OneOf(["user", "department"]))
    user_id = fields.UUID()
    department_path = fields.String(required=True, validate=validate.Regexp(r"^/(?:[^/\s]+/)*$"))
    period = fields.String(required=True, validate=[validate.Regexp(PERIOD), _on_the_calendar])
    amount = money_in(required=True, positive=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))

    @validates_schema
    def _subject(self, data, **kwargs):
        if (data.get("subject") == "user") != ("user_id" in data):
            raise ValidationError("user_id is given for, and only for, a rep's target.", "user_id")


class TargetUpdate(StrictSchema):
    """What a target's setter may change; another subject is another target."""
    period = fields.String(required=True, validate=[validate.Regexp(PERIOD), _on_the_calendar])
    amount = money_in(required=True, positive=True)
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))


class TargetOut(Schema):
    id = fields.String()
    subject = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    period = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    achieved = fields.Decimal(as_string=True, places=2)
    progress_percent = fields.Decimal(as_string=True)
    status = fields.String(metadata={"description": "open, or closed: no longer pursued, kept for the record"})
    closed_at = fields.DateTime()
    created_at = fields.DateTime()


class TargetListQuery(ListQuery):
    period = fields.String(validate=validate.Regexp(PERIOD))
    status = fields.String(validate=validate.OneOf(["open", "closed"]))
