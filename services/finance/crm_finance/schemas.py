from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_finance.models import RECEIPT_METHODS
from crm_finance.receivable_rules import STATUSES


class ReceiptIn(StrictSchema):
    """Number, scope and the receivable's totals are the server's; the client reports a payment."""
    receivable_id = fields.UUID(required=True)
    amount = money_in(positive=True, required=True)
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"))
    method = fields.String(required=True, validate=validate.OneOf(RECEIPT_METHODS))
    received_on = fields.Date()
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))


# fixed scale on output, so an echo of the client's "1000" reads "1000.00" like a stored value
Amount = lambda: fields.Decimal(as_string=True, places=2)  # noqa: E731


class ReceiptOut(Schema):
    id = fields.String()
    number = fields.String()
    receivable_id = fields.String()
    order_id = fields.String()
    amount = Amount()
    currency = fields.String()
    method = fields.String()
    received_on = fields.Date()
    reference = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class ReceivableOut(Schema):
    id = fields.String()
    order_id = fields.String()
    order_number = fields.String()
    fulfilment_id = fields.String()
    customer_id = fields.String()
    currency = fields.String()
    amount = Amount()
    received = Amount()
    outstanding = Amount()
    status = fields.String()
    due_date = fields.Date()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ReceivableDetailOut(ReceivableOut):
    receipts = fields.List(fields.Nested(ReceiptOut))


class ReceivableListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))


class ReceiptListQuery(ListQuery):
    receivable_id = fields.UUID()
