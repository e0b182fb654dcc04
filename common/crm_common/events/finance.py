"""Events the finance service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, Id, Money, OwnedEventData


class ReceivableOpened(OwnedEventData):
    receivable_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    currency = Currency()
    due_date = fields.Date(required=True)


EVENTS = {
    ("finance.receivable_opened", 1): ReceivableOpened,
}
