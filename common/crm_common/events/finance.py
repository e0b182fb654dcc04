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


class ReceiptRecorded(EventData):
    """Money came in against an order; sales keeps per-line `received` from it (SAL-06)."""
    order_id = Id()
    amount = Money()
    currency = Currency()


EVENTS = {
    ("finance.receivable_opened", 1): ReceivableOpened,
    ("finance.receipt_recorded", 1): ReceiptRecorded,
}
