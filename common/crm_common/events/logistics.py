"""Events the logistics service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, Id, Money, OwnedEventData


class ShipmentAllowed(OwnedEventData):
    fulfilment_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = Currency()
    payment_terms_days = fields.Integer(required=True)


EVENTS = {
    ("logistics.shipment_allowed", 1): ShipmentAllowed,
}
