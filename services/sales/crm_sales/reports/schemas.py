"""Questions and answers of the sales reports. Every answer says the zone its periods are in."""
from marshmallow import Schema, fields, validate

from crm_common.rollups import PeriodQuery
from crm_common.validation import StrictSchema
from crm_sales.planning.rules import PERIOD

Money = lambda **kw: fields.Decimal(as_string=True, places=2, **kw)  # noqa: E731


class Scoped(StrictSchema):
    """One owner or one department (its subtree) within the caller's scope; default: all of it."""
    owner_id = fields.UUID(load_default=None)
    department_path = fields.String(load_default=None, validate=validate.Length(min=1, max=500))


class FunnelQuery(Scoped):
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))


class SalesPeriodQuery(PeriodQuery):
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))


class RankingQuery(SalesPeriodQuery):
    by = fields.String(required=True, validate=validate.OneOf(("contract_amount", "order_amount")))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class ProductRankingQuery(SalesPeriodQuery):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class TargetCompletionQuery(Scoped):
    period = fields.String(required=True, validate=validate.Regexp(PERIOD))
    subject = fields.String(load_default=None, validate=validate.OneOf(("user", "department")))


# the figures add up governed amounts: a role that masks or hides the field sees them so
# (crm_common.field_policy: totals count as a list)
_EXPECTED = {"amount": "opportunity.expected_amount", "weighted": "opportunity.expected_amount"}


class StageFigures(Schema):
    field_totals = _EXPECTED
    stage_id = fields.String()
    name = fields.String()
    position = fields.Integer()
    probability = fields.Decimal(as_string=True)
    count = fields.Integer()
    amount = Money()
    weighted = Money(metadata={"description": "the expected amounts times their win probability (forecast)"})


class FunnelTotals(Schema):
    field_totals = _EXPECTED
    count = fields.Integer()
    amount = Money()
    weighted = Money()


class FunnelOut(Schema):
    currency = fields.String()
    stages = fields.List(fields.Nested(StageFigures))
    totals = fields.Nested(FunnelTotals)


class OpportunityTotals(Schema):
    field_totals = {"created_amount": "opportunity.expected_amount", "won_amount": "opportunity.expected_amount"}
    created = fields.Integer()
    created_amount = Money()
    won = fields.Integer()
    won_amount = Money()
    lost = fields.Integer()
    win_rate = fields.Decimal(as_string=True, allow_none=True, metadata={"description": "won of closed, %"})
    average_cycle_days = fields.Decimal(as_string=True, allow_none=True,
                                        metadata={"description": "creation to winning, branch days"})


class OpportunityFigures(OpportunityTotals):
    period = fields.Date(metadata={"description": "first day of the period, in `zone`"})


class OpportunitiesOut(Schema):
    period = fields.String()
    zone = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(OpportunityFigures))
    # a class of its own, not OpportunityFigures(exclude=…): the document describes an instance
    # with exclude as a request body (no nulls), which the totals' null rates break
    totals = fields.Nested(OpportunityTotals)


class AmountFigures(Schema):
    field_totals = {"contract_amount": "contract.amount", "order_amount": "order.total"}
    period = fields.Date()
    contracts = fields.Integer()
    contract_amount = Money()
    orders = fields.Integer()
    order_amount = Money()


class AmountsOut(Schema):
    period = fields.String()
    zone = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(AmountFigures))
    totals = fields.Nested(AmountFigures(exclude=("period",)))


class RankedOwner(Schema):
    # its amount is the contracts' or the orders' as the question says: shaped by reports.queries
    rank = fields.Integer()
    owner_id = fields.String()
    count = fields.Integer()
    amount = Money()


class RankingOut(Schema):
    by = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(RankedOwner))


class RankedProduct(Schema):
    field_totals = {"amount": "order.total"}  # of approved orders' lines
    rank = fields.Integer()
    product_id = fields.String()
    code = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    lines = fields.Integer()
    quantity = fields.Decimal(as_string=True)
    amount = Money()


class ProductRankingOut(Schema):
    currency = fields.String()
    items = fields.List(fields.Nested(RankedProduct))


class TargetFigures(Schema):
    # what was sold is the orders' total; its share of the target tells it as well
    field_totals = {"achieved": "order.total", "progress_percent": "order.total"}
    target_id = fields.String()
    subject = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    period = fields.String()
    currency = fields.String()
    amount = Money()
    achieved = Money()
    progress_percent = fields.Decimal(as_string=True)


class TargetCompletionOut(Schema):
    period = fields.String()
    items = fields.List(fields.Nested(TargetFigures))
