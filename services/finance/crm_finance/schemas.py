from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in
from crm_finance.models import PAYMENT_KINDS, PAYMENT_STATUSES, RECEIPT_METHODS
from crm_finance.receivable_rules import STATUSES

CurrencyIn = lambda **kw: fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"), **kw)  # noqa: E731
MAX_LINES = 200


class ReceiptIn(StrictSchema):
    """Number, scope and the receivable's totals are the server's; the client reports a payment."""
    receivable_id = fields.UUID(required=True)
    amount = money_in(positive=True, required=True)
    currency = CurrencyIn()
    method = fields.String(required=True, validate=validate.OneOf(RECEIPT_METHODS))
    received_on = fields.Date()
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))
    bank_account_id = fields.UUID(allow_none=True)


class ReversalIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class BankAccountIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    bank_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    account_no = fields.String(required=True, validate=validate.Length(min=1, max=60))
    currency = CurrencyIn(required=True)


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


class InstalmentIn(StrictSchema):
    due_date = fields.Date(required=True)
    amount = money_in(positive=True, required=True)


class PlanIn(StrictSchema):
    instalments = fields.List(fields.Nested(InstalmentIn), required=True,
                              validate=validate.Length(min=1, max=60))


class PayIn(StrictSchema):
    bank_account_id = fields.UUID(required=True)
    paid_on = fields.Date()


class DunningIn(StrictSchema):
    as_of = fields.Date()


class DunningRunOut(Schema):
    as_of = fields.Date()
    reminded = fields.Integer()  # receivables reminded by this run; already reminded that day count 0


# fixed scale on output, so an echo of the client's "1000" reads "1000.00" like a stored value
Amount = lambda **kw: fields.Decimal(as_string=True, places=2, **kw)  # noqa: E731
Scoped = {"owner_id": fields.String(), "department_path": fields.String(), "branch": fields.String()}


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
    bank_account_id = fields.String(allow_none=True)
    reversed = fields.Boolean()
    reversal_number = fields.String(attribute="reversal.number", allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class InstalmentOut(Schema):
    position = fields.Integer()
    due_date = fields.Date()
    amount = Amount()
    paid = Amount()
    status = fields.String()


class PlanOut(Schema):
    receivable_id = fields.String()
    due_date = fields.Date()  # the receivable's, now the first unpaid instalment's
    instalments = fields.List(fields.Nested(InstalmentOut))


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
    invoiced = Amount()
    status = fields.String()
    due_date = fields.Date()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ReceivableDetailOut(ReceivableOut):
    receipts = fields.List(fields.Nested(ReceiptOut))


class BankAccountOut(Schema):
    id = fields.String()
    name = fields.String()
    bank_name = fields.String()
    account_no = fields.String()
    currency = fields.String()
    balance = Amount()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class BankEntryOut(Schema):
    id = fields.Integer()
    amount = Amount()
    kind = fields.String()
    source_id = fields.String()
    source_number = fields.String()
    booked_on = fields.Date()
    created_at = fields.DateTime()


class BankEntriesOut(Schema):
    """A page of entries with the account's balance beside it, which no single page adds up to."""
    items = fields.List(fields.Nested(BankEntryOut))
    next_cursor = fields.String(allow_none=True)
    balance = Amount()


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


class PaymentOut(Schema):
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


class ReceivableListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean()  # true: not paid and due before today (the dunning job's rule)


class ReceiptListQuery(ListQuery):
    receivable_id = fields.UUID()


class InvoiceListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()


class PaymentListQuery(ListQuery):
    kind = fields.String(validate=validate.OneOf(PAYMENT_KINDS))
    status = fields.String(validate=validate.OneOf(PAYMENT_STATUSES))


class EntryListQuery(ListQuery):
    pass


class AgeingQuery(StrictSchema):
    as_of = fields.Date()
    customer_id = fields.UUID()


class StatementQuery(StrictSchema):
    as_of = fields.Date()
