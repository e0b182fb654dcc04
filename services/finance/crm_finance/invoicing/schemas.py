"""Invoice payloads: an invoice in, invoices and what of an order is invoiced out."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in
from crm_finance.fields import Amount

MAX_LINES = 200


class InvoiceLineIn(StrictSchema):
    order_line_id = fields.UUID(required=True)
    amount = money_in(positive=True, required=True)


class InvoiceIn(StrictSchema):
    """Either an amount for the order as a whole or lines (the amount is then their sum)."""
    order_id = fields.UUID(required=True)
    amount = money_in(positive=True)
    tax_rate = fields.Decimal(load_default=None, allow_nan=False,
                              validate=[validate.Range(min=0, max=1), max_places(4)])
    title = fields.String(allow_none=True, validate=validate.Length(max=200))
    lines = fields.List(fields.Nested(InvoiceLineIn), validate=validate.Length(min=1, max=MAX_LINES))

    @validates_schema
    def amount_or_lines(self, data, **kwargs):
        if "amount" not in data and "lines" not in data:
            raise ValidationError("Give an amount or lines.", "amount")
        ids = [line["order_line_id"] for line in data.get("lines", ())]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each order line at most once.", "lines")


class InvoiceLineOut(Schema):
    order_line_id = fields.String()
    amount = Amount()


class InvoiceOut(Schema):
    id = fields.String()
    number = fields.String()
    receivable_id = fields.String()
    order_id = fields.String()
    customer_id = fields.String()
    currency = fields.String()
    amount = Amount()
    tax_rate = fields.Decimal(as_string=True, places=4)
    tax_amount = Amount()
    net_amount = Amount()
    title = fields.String(allow_none=True)
    issued_on = fields.Date()
    lines = fields.List(fields.Nested(InvoiceLineOut))
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class OrderLineOut(Schema):
    order_line_id = fields.String(attribute="id")
    product_name = fields.String()
    amount = Amount()
    invoiced = Amount()
    not_invoiced = Amount()


class InvoicingOut(Schema):
    """What of an order is invoiced: as a whole, and per line."""
    id = fields.String()  # the receivable's
    order_id = fields.String()
    order_number = fields.String()
    currency = fields.String()
    amount = Amount()
    invoiced = Amount()
    not_invoiced = Amount()
    lines = fields.List(fields.Nested(OrderLineOut))


class InvoiceListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()
