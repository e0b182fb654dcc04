from marshmallow import Schema, fields, validate

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
