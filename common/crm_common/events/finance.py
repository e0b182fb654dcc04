"""Events the finance service emits."""
from marshmallow import fields, validate

from crm_common.events.fields import Currency, EventData, Id, Money, OwnedEventData


class ReceivableOpened(OwnedEventData):
    receivable_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    currency = Currency()
    due_date = fields.Date(required=True)






class ReceivableReduced(OwnedEventData):
    """The order ended before everything shipped: the receivable is now the shipped value
    (`status` cancelled when nothing shipped). What was already received or invoiced beyond it is
    `refund_due` (a refund payment is opened) and `red_invoice_due` (a red-letter invoice is due)."""
    receivable_id = Id()
    order_id = Id()
    customer_id = Id()
    original_amount = Money()
    amount = Money()
    received = Money()
    refund_due = Money()
    red_invoice_due = Money()
    currency = Currency()
    status = fields.String(required=True)
    reason = fields.String(required=True)


class ReceiptRecorded(OwnedEventData):
    receipt_id = Id()
    receivable_id = Id()
    order_id = Id()
    amount = Money()
    currency = Currency()
    # the day the money came in (the report pack's receipts per period); older messages lack it
    received_on = fields.Date(allow_none=True, load_default=None)


class ReceiptReversed(ReceiptRecorded):
    """`amount` is the reversed receipt's amount (positive): subtract it from what was received."""
    reversal_id = Id()


class InvoicedLine(EventData):
    order_line_id = Id()
    amount = Money()


class InvoiceIssued(OwnedEventData):
    invoice_id = Id()
    number = fields.String(required=True)
    order_id = Id()
    customer_id = Id()
    amount = Money()
    tax_amount = Money()
    currency = Currency()
    # empty when the invoice was not split per line
    lines = fields.List(fields.Nested(InvoicedLine), required=True)


class InvoiceReversed(OwnedEventData):
    """A red-letter invoice (红冲): `amount` (tax incl., positive) is what it takes back from the
    original, per line when the original was split per line (`lines` empty otherwise)."""
    invoice_id = Id()  # the red invoice
    number = fields.String(required=True)
    original_invoice_id = Id()
    order_id = Id()
    customer_id = Id()
    amount = Money()
    tax_amount = Money()
    currency = Currency()
    reason = fields.String(required=True)
    lines = fields.List(fields.Nested(InvoicedLine), required=True)


class ReceivableOverdue(OwnedEventData):
    receivable_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    outstanding = Money()
    currency = Currency()
    due_date = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    bucket = fields.String(required=True)


class ApprovalRequested(OwnedEventData):
    """An invoice, a red-letter reversal or a receipt held for its configured approval flow: sales
    opens the approval and answers with sales.approval_decided (or _withdrawn). The scope is the
    document's; the submitter's superiors and department are what the flow's steps reach."""
    document_type = fields.String(required=True, validate=validate.OneOf(("invoice", "invoice_reversal", "receipt")))
    document_id = Id()
    document_number = fields.String(required=True)
    submitted_by = Id()
    submitter_department_path = fields.String(required=True)
    amount = Money()
    currency = Currency()
    customer_id = Id()
    order_id = Id()
    summary = fields.String(required=True)


EVENTS = {
    ("finance.receivable_opened", 1): ReceivableOpened,
    ("finance.receipt_recorded", 1): ReceiptRecorded,
    ("finance.receipt_reversed", 1): ReceiptReversed,
    ("finance.invoice_issued", 1): InvoiceIssued,
    ("finance.invoice_reversed", 1): InvoiceReversed,
    ("finance.receivable_overdue", 1): ReceivableOverdue,
    ("finance.receivable_reduced", 1): ReceivableReduced,
    ("finance.approval_requested", 1): ApprovalRequested,
}
