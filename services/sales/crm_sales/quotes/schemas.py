"""Boundary schemas of quotes (SAL-05)."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_sales.orders.schemas import OrderLineIn, OrderLineOut


class QuoteIn(StrictSchema):
    field_resource = "quote"
    customer_id = fields.UUID(required=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    valid_until = fields.Date(required=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=5000))
    lines = fields.List(fields.Nested(OrderLineIn), required=True, validate=validate.Length(min=1, max=200))


class CancelIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class ConvertIn(StrictSchema):
    payment_terms_days = fields.Integer(load_default=30, validate=validate.Range(0, 365))


class QuoteLineOut(OrderLineOut):
    field_resource = "quote"  # its amounts are the quote total's

    class Meta:
        exclude = ("shipped", "invoiced", "received")


class RevisionContentOut(Schema):
    """What a revision's `content` keeps (quotes/use_cases.py): shaped as the quote is."""
    field_resource = "quote"
    total = fields.Decimal(as_string=True)
    lines = fields.List(fields.Nested(QuoteLineOut))


class RevisionOut(Schema):
    field_dicts = {"content": RevisionContentOut}
    revision = fields.Integer()
    content = fields.Dict()
    created_at = fields.DateTime()


class QuoteOut(Schema):
    field_resource = "quote"
    id = fields.String()
    number = fields.String()
    customer_id = fields.String()
    customer_name = fields.String()
    currency = fields.String()
    valid_until = fields.Date()
    status = fields.String()
    revision = fields.Integer()
    total = fields.Decimal(as_string=True)
    notes = fields.String()
    order_id = fields.String()
    cancel_reason = fields.String()
    cancelled_at = fields.DateTime()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(QuoteLineOut))
    revisions = fields.List(fields.Nested(RevisionOut))


class QuoteListQuery(ListQuery):
    field_resource = "quote"  # no sort or filter by a field hidden from the caller
    status = fields.String(validate=validate.OneOf(["open", "converted", "cancelled"]))
    customer_id = fields.UUID()
