from marshmallow import Schema, fields, validate

from crm_common.rollups import PeriodQuery
from crm_customers.customers.schemas import CustomerFilters


class StatisticsQuery(CustomerFilters):
    by = fields.String(required=True, validate=validate.OneOf(
        ("value_level", "source", "region", "industry", "status", "month", "quarter", "year")))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)


class StatisticsItemOut(Schema):
    key = fields.String()  # by a dimension: its value ("province/city" for region)
    period = fields.Date()  # by month, quarter or year: the first day of the period
    count = fields.Integer()


class StatisticsOut(Schema):
    by = fields.String()
    items = fields.List(fields.Nested(StatisticsItemOut))


# --- the report pack (issue 17): from the rollups -------------------------------------------------

class CustomerRankingQuery(PeriodQuery):
    by = fields.String(required=True, validate=validate.OneOf(("new_customers", "follow_ups")))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class FollowUpFigures(Schema):
    period = fields.Date(metadata={"description": "first day of the period, in `zone`"})
    method = fields.String(metadata={"description": "the follow-up's kind: call, visit, email, meeting, cold_visit"})
    count = fields.Integer()


class FollowUpsOut(Schema):
    period = fields.String()
    zone = fields.String()
    items = fields.List(fields.Nested(FollowUpFigures))
    totals = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "per method"})


class LeadTotals(Schema):
    leads = fields.Integer()
    converted = fields.Integer()
    conversion_rate = fields.Decimal(as_string=True, allow_none=True, metadata={"description": "converted of new, %"})
    average_conversion_days = fields.Decimal(as_string=True, allow_none=True)
    pool_in = fields.Integer()
    pool_out = fields.Integer()


class LeadFigures(LeadTotals):
    period = fields.Date()


class LeadsOut(Schema):
    period = fields.String()
    zone = fields.String()
    items = fields.List(fields.Nested(LeadFigures))
    totals = fields.Nested(LeadTotals)  # not LeadFigures(exclude=…): see sales' OpportunitiesOut


class RankedOwner(Schema):
    rank = fields.Integer()
    owner_id = fields.String()
    count = fields.Integer()


class CustomerRankingOut(Schema):
    by = fields.String()
    items = fields.List(fields.Nested(RankedOwner))
