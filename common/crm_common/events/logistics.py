"""Events the logistics service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, EventData, Id, Money, OwnedEventData, Quantity


class ShipmentAllowed(OwnedEventData):
    fulfilment_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = Currency()
    payment_terms_days = fields.Integer(required=True)


class ShippedLine(EventData):
    order_line_id = Id()
    quantity = Quantity()


class ShipmentRecorded(EventData):
    """Goods left for an order; sales keeps per-line `shipped` from it (SAL-06)."""
    order_id = Id()
    lines = fields.List(fields.Nested(ShippedLine), required=True)


EVENTS = {
    ("logistics.shipment_allowed", 1): ShipmentAllowed,
    ("logistics.shipment_recorded", 1): ShipmentRecorded,
}
