"""Receivable, payment-plan and receipt payloads."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.counting import counts_out
from crm_common.exports import ExportFormat
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_finance.fields import Amount, CurrencyIn
from crm_finance.receivables.rules import RECEIPT_METHODS, STATUSES


class ReceiptIn(StrictSchema):
    """Number, scope and the receivable's totals are the server's; the client reports a payment,
    against the receivable or the order it is for (one receivable per approved order)."""
    field_resource = "receipt"
    receivable_id = fields.UUID()
    order_id = fields.UUID()
    amount = money_in(positive=True, required=True)
    currency = CurrencyIn()
    method = fields.String(required=True, validate=validate.OneOf(RECEIPT_METHODS))
    received_on = fields.Date()
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))
    bank_account_id = fields.UUID(allow_none=True)

    @validates_schema
    def _one_document(self, data, **kwargs):
        if ("receivable_id" in data) == ("order_id" in data):
            raise ValidationError("Name the receivable or the order, one of them.", "receivable_id")


class ReversalIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200))


class InstalmentIn(StrictSchema):
    due_date = fields.Date(required=True)
    amount = money_in(positive=True, required=True)


class PlanIn(StrictSchema):
    field_resource = "receivable"  # the instalments are the receivable's amount split
    instalments = fields.List(fields.Nested(InstalmentIn), required=True,
                              validate=validate.Length(min=1, max=60))


class ReceiptOut(Schema):
    field_resource = "receipt"
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
    status = fields.String(metadata={"description": "recorded; under an approval flow also pending_approval, "
                                                    "rejected, withdrawn"})
    approval_id = fields.String()
    approval_note = fields.String()
    advance_id = fields.String(allow_none=True, metadata={
        "description": "set when the receipt was an advance (预收款) recorded before the order's approval"})
    reversed = fields.Boolean()
    reversal_number = fields.String(attribute="reversal.number", allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class InstalmentOut(Schema):
    field_resource = "receivable"
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
    field_resource = "receivable"
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
    # the order ended before everything shipped: what it was, why, and what is owed back
    original_amount = Amount(allow_none=True)
    closed_reason = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    refund_due = Amount()
    red_invoice_due = Amount()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ReceivableDetailOut(ReceivableOut):
    receipts = fields.List(fields.Nested(ReceiptOut))


class ReceivableFilters(StrictSchema):
    field_resource = "receivable"  # no sort or filter by a field hidden from the caller
    order_id = fields.UUID()
    customer_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean()  # true: not paid and due before today (the dunning job's rule)


class ReceivableListQuery(ListQuery, ReceivableFilters):
    pass


class ReceivableExportQuery(ReceivableFilters, ExportFormat):
    pass


class ReceiptListQuery(ListQuery):
    receivable_id = fields.UUID()


ReceivableTabCountsOut = counts_out(("receivables",), "ReceivableTabCountsOut")
