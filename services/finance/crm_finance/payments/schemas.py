"""Payment payloads."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_finance.fields import Amount
from crm_finance.payments.rules import KINDS, STATUSES


class PayIn(StrictSchema):
    bank_account_id = fields.UUID(required=True)
    paid_on = fields.Date()


class PaymentOut(Schema):
    field_resource = "payment"
    id = fields.String()
    number = fields.String()
    kind = fields.String()
    source_id = fields.String()
    order_id = fields.String(allow_none=True)
    customer_id = fields.String(allow_none=True)
    payee = fields.String()
    amount = Amount()
    currency = fields.String()
    status = fields.String()
    bank_account_id = fields.String(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class PaymentListQuery(ListQuery):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    # the record a payment comes from (a return, an expense, a settlement), its order or customer
    source_id = fields.UUID()
    order_id = fields.UUID()
    customer_id = fields.UUID()
