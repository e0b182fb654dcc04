"""Events the customers service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, Id, Money, OwnedEventData


class ExpenseRecorded(OwnedEventData):
    """A customer-related expense to reimburse to its owner (FIN-07)."""
    expense_id = Id()
    customer_id = Id()
    amount = Money()
    currency = Currency()
    category = fields.String(required=True)
    incurred_on = fields.Date(required=True)


EVENTS = {
    ("customers.expense_recorded", 1): ExpenseRecorded,
}
