"""Events the finance service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, EventData, Id, Money, OwnedEventData


class ReceivableOpened(OwnedEventData):
    receivable_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    currency = Currency()
    due_date = fields.Date(required=True)


class ReceivableOverdue(OwnedEventData):
    """Schema as announced by issue 5; drafted here by the workspace (issue 6), which consumes it."""
    receivable_id = Id()
    order_id = Id()
    customer_id = Id()
    amount = Money()
    outstanding = Money()
    currency = Currency()
    due_date = fields.Date(required=True)
    days_overdue = fields.Integer(required=True)
    bucket = fields.String(required=True)


class ReceiptRecorded(EventData):
    """Money came in against an order; sales keeps per-line `received` from it (SAL-06)."""
    order_id = Id()
    amount = Money()
    currency = Currency()


EVENTS = {
    ("finance.receivable_opened", 1): ReceivableOpened,
    ("finance.receivable_overdue", 1): ReceivableOverdue,
    ("finance.receipt_recorded", 1): ReceiptRecorded,
}
