"""Boundary schemas of opportunities (SAL-03) and competitors (SAL-04)."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in

CURRENCY = validate.Regexp(r"^[A-Z]{3}$")


def _percent(**kwargs):
    return fields.Decimal(allow_nan=False, validate=[validate.Range(0, 100), max_places(2)], **kwargs)


def _text(n, **kwargs):
    return fields.String(validate=validate.Length(min=1, max=n), **kwargs)


class StageIn(StrictSchema):
    name = _text(100, required=True)
    position = fields.Integer(required=True, validate=validate.Range(0, 1000))
    probability = _percent(required=True)
    outcome = fields.String(load_default="open", validate=validate.OneOf(["open", "won", "lost"]))
    active = fields.Boolean(load_default=True)


class StageOut(Schema):
    id = fields.String()
    name = fields.String()
    position = fields.Integer()
    probability = fields.Decimal(as_string=True)
    outcome = fields.String()
    active = fields.Boolean()


class OpportunityIn(StrictSchema):
    field_resource = "opportunity"
    customer_id = fields.UUID(required=True)
    title = _text(200, required=True)
    source = _text(100, allow_none=True)
    stage_id = fields.UUID(required=True)
    probability = _percent()  # defaults to the stage's
    expected_amount = money_in(required=True)
    currency = fields.String(load_default="CNY", validate=CURRENCY)
    expected_close_date = fields.Date(required=True)


class OpportunityUpdate(StrictSchema):
    field_resource = "opportunity"
    """What an edit changes; the stage moves with `move`, and another customer is another opportunity."""
    title = _text(200, required=True)
    source = _text(100, allow_none=True)
    probability = _percent()
    expected_amount = money_in(required=True)
    currency = fields.String(validate=CURRENCY)
    expected_close_date = fields.Date(required=True)


class MoveIn(StrictSchema):
    stage_id = fields.UUID(required=True)
    probability = _percent()


class CloseIn(StrictSchema):
    reason = _text(2000, required=True)


class CompetitorQuoteIn(StrictSchema):
    competitor_id = fields.UUID(required=True)
    amount = money_in(required=True)
    currency = fields.String(load_default="CNY", validate=CURRENCY)
    notes = _text(2000, allow_none=True)


class CompetitorQuoteOut(Schema):
    competitor_id = fields.String()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    notes = fields.String()
    created_at = fields.DateTime()


class OpportunityOut(Schema):
    field_resource = "opportunity"
    id = fields.String()
    customer_id = fields.String()
    customer_name = fields.String()
    title = fields.String()
    source = fields.String()
    stage_id = fields.String()
    probability = fields.Decimal(as_string=True)
    expected_amount = fields.Decimal(as_string=True)
    currency = fields.String()
    expected_close_date = fields.Date()
    status = fields.String()
    close_reason = fields.String()
    closed_at = fields.DateTime()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    competitor_quotes = fields.List(fields.Nested(CompetitorQuoteOut))
    starred = fields.Boolean()  # by the caller (lists)


class OpportunityListQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(["open", "won", "lost"]))
    stage_id = fields.UUID()
    customer_id = fields.UUID()
    starred = fields.Boolean()  # true: only those the caller starred; false: the others


class StageStayOut(Schema):
    stage_id = fields.String()
    stage_name = fields.String()
    outcome = fields.String()
    entered_at = fields.DateTime()
    left_at = fields.DateTime()  # null: the current stage
    seconds = fields.Integer()  # time in the stage (the current one: until now)
    days = fields.Decimal(as_string=True, places=2)


class StageTimeOut(Schema):
    stage_id = fields.String()
    stage_name = fields.String()
    seconds = fields.Integer()
    days = fields.Decimal(as_string=True, places=2)


class StageHistoryOut(Schema):
    opportunity_id = fields.String()
    items = fields.List(fields.Nested(StageStayOut))  # oldest first
    by_stage = fields.List(fields.Nested(StageTimeOut))  # every stay in a stage summed, in pipeline order


class ForecastQuery(StrictSchema):
    group_by = fields.String(required=True, validate=validate.OneOf(["owner", "department", "month"]))
    currency = fields.String(load_default="CNY", validate=CURRENCY)


class ForecastGroupOut(Schema):
    field_totals = {"expected_total": "opportunity.expected_amount", "weighted_total": "opportunity.expected_amount"}
    key = fields.String()  # an owner id, a department path or a YYYY-MM month
    count = fields.Integer()
    expected_total = fields.Decimal(as_string=True)
    weighted_total = fields.Decimal(as_string=True)


class ForecastOut(Schema):
    group_by = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(ForecastGroupOut))


class ProductEntry(StrictSchema):
    name = _text(200, required=True)
    price = money_in(as_string=True, allow_none=True)
    notes = _text(1000, allow_none=True)


class AgentEntry(StrictSchema):
    name = _text(200, required=True)
    region = _text(100, allow_none=True)
    contact = _text(200, allow_none=True)


class BranchEntry(StrictSchema):
    name = _text(200, required=True)
    city = _text(100, allow_none=True)


class CompetitorIn(StrictSchema):
    name = _text(200, required=True)
    profile = _text(5000, allow_none=True)
    strengths = _text(2000, allow_none=True)
    weaknesses = _text(2000, allow_none=True)
    products = fields.List(fields.Nested(ProductEntry), load_default=list, validate=validate.Length(max=200))
    agents = fields.List(fields.Nested(AgentEntry), load_default=list, validate=validate.Length(max=200))
    branches = fields.List(fields.Nested(BranchEntry), load_default=list, validate=validate.Length(max=200))


class ActivityIn(StrictSchema):
    happened_on = fields.Date(required=True)
    description = _text(5000, required=True)


class ActivityOut(Schema):
    happened_on = fields.Date()
    description = fields.String()
    reported_by = fields.String()


class CompetitorOut(Schema):
    id = fields.String()
    name = fields.String()
    profile = fields.String()
    strengths = fields.String()
    weaknesses = fields.String()
    products = fields.List(fields.Dict())
    agents = fields.List(fields.Dict())
    branches = fields.List(fields.Dict())
    activities = fields.List(fields.Nested(ActivityOut))


class CompetitorListQuery(ListQuery):
    name = _text(200)
