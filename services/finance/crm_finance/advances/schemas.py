"""Advance receipt payloads."""
from marshmallow import Schema, fields, validate

from crm_common.validation import StrictSchema, money_in
from crm_finance.fields import Amount, CurrencyIn
from crm_finance.receivables.rules import RECEIPT_METHODS


class AdvanceIn(StrictSchema):
    """The order is the path's; number, scope, customer and status are the server's."""
    field_resource = "receipt"  # an advance is a receipt recorded early
    amount = money_in(positive=True, required=True)
    currency = CurrencyIn()
    method = fields.String(required=True, validate=validate.OneOf(RECEIPT_METHODS))
    received_on = fields.Date()
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))
    bank_account_id = fields.UUID(allow_none=True)


class AdvanceOut(Schema):
    field_resource = "receipt"
    id = fields.String()
    number = fields.String()
    order_id = fields.String()
    customer_id = fields.String()
    amount = Amount()
    currency = fields.String()
    method = fields.String()
    received_on = fields.Date()
    reference = fields.String()
    bank_account_id = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "held, applied (receipt_id), refundable, refunded (payment_id)"})
    receipt_id = fields.String(allow_none=True)
    payment_id = fields.String(allow_none=True)
    applied_at = fields.DateTime(allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class AdvanceListOut(Schema):
    field_totals = {"total": "order.total", "held": "receipt.amount", "applied": "receipt.amount"}
    order_id = fields.String()
    order_number = fields.String()
    total = Amount()
    currency = fields.String()
    held = Amount()
    applied = Amount()
    items = fields.List(fields.Nested(AdvanceOut))
