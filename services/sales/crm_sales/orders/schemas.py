"""Boundary schemas of orders (SAL-06) and the sample report (SAL-12)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.dumping import FastDump
from crm_common.exports import ExportFormat
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in, quantity_in


class OrderLineIn(StrictSchema):
    """Prices are the server's: a client names a product, a quantity and may ask for a discount."""
    product_id = fields.UUID(required=True)
    quantity = quantity_in(required=True)
    discount_percent = fields.Decimal(allow_nan=False, validate=[validate.Range(0, 100), max_places(2)])


class StoredDate(fields.Date):
    """A date kept as ISO text in JSON (a payment plan) reads back like a date column."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class PlanInstalmentIn(StrictSchema):
    due_date = StoredDate(required=True)
    amount = money_in(required=True, positive=True)


class OrderIn(StrictSchema):
    field_resource = "order"
    customer_id = fields.UUID(required=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    order_type = fields.String(load_default="sale", validate=validate.OneOf(["sale", "sample"]))
    payment_terms_days = fields.Integer(load_default=30, validate=validate.Range(0, 365))
    notes = fields.String(allow_none=True, validate=validate.Length(max=5000))
    lines = fields.List(fields.Nested(OrderLineIn), required=True, validate=validate.Length(min=1, max=200))
    # agreed before approval (a deposit is the first instalment); [] for none
    payment_plan = fields.List(fields.Nested(PlanInstalmentIn), validate=validate.Length(max=60))

    @validates_schema
    def _one_line_per_product(self, data, **kwargs):
        ids = [line["product_id"] for line in data.get("lines", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each product may appear on one line only.", "lines")


class OrderLineOut(FastDump):
    field_resource = "order"  # its amounts are the order total's (crm_common.field_policy)
    id = fields.String()
    line_no = fields.Integer()
    product_id = fields.String()
    product_code = fields.String()
    product_name = fields.String()
    unit = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = fields.Decimal(as_string=True)
    amount = fields.Decimal(as_string=True)
    list_price = fields.Decimal(as_string=True)
    discount_percent = fields.Decimal(as_string=True)
    pricing_note = fields.String()
    shipped = fields.Decimal(as_string=True)
    invoiced = fields.Decimal(as_string=True)
    received = fields.Decimal(as_string=True)


class OrderOut(FastDump):
    field_resource = "order"
    id = fields.String()
    number = fields.String()
    customer_id = fields.String()
    customer_name = fields.String()
    currency = fields.String()
    payment_terms_days = fields.Integer()
    status = fields.String()
    total = fields.Decimal(as_string=True)
    notes = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    submitted_at = fields.DateTime()
    approved_at = fields.DateTime()
    approved_by = fields.String()
    decision_comment = fields.String()
    end_reason = fields.String(allow_none=True)  # why it was completed or closed (the receivable shows it too)
    order_type = fields.String()
    customer_level = fields.String()
    max_discount_percent = fields.Decimal(as_string=True)
    discount_over_limit = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class OrderDetailOut(OrderOut):
    """Lists show the summary; the lines come with a single order (no query per listed order)."""
    lines = fields.List(fields.Nested(OrderLineOut))
    payment_plan = fields.List(fields.Dict(), metadata={"description": "[{due_date, amount}]"})


class EndIn(StrictSchema):
    """Completing or closing an approved order; without a reason the action's name stands in."""
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))


class OrderFilters(StrictSchema):
    status = fields.String(validate=validate.OneOf(
        ["draft", "submitted", "approved", "rejected", "cancelled", "completed", "closed"]))
    customer_id = fields.UUID()
    owner_id = fields.UUID()
    number = fields.String(validate=validate.Length(min=1, max=40))
    order_type = fields.String(validate=validate.OneOf(["sale", "sample"]))


class OrderListQuery(ListQuery, OrderFilters):
    pass


class OrderExportQuery(OrderFilters, ExportFormat):
    pass


class SampleLineOut(Schema):
    product_id = fields.String()
    product_code = fields.String()
    product_name = fields.String()
    quantity = fields.Decimal(as_string=True)
    shipped = fields.Decimal(as_string=True)
    orders = fields.Integer()
    customers = fields.Integer()


class SampleReportOut(Schema):
    items = fields.List(fields.Nested(SampleLineOut))


class SampleReportQuery(StrictSchema):
    since = fields.Date()
    until = fields.Date()  # inclusive
