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


class ShipmentRecorded(OwnedEventData):
    """A shipment left the warehouse: add `quantity` to each order line's shipped quantity."""
    shipment_id = Id()
    order_id = Id()
    lines = fields.List(fields.Nested(ShippedLine), required=True)


class ShipmentCancelled(ShipmentRecorded):
    """A shipment that had been recorded was cancelled: subtract the same quantities again.
    (A shipment cancelled while still pending was never recorded and emits nothing.)"""


class ClosedLine(EventData):
    order_line_id = Id()
    ordered = Quantity()
    shipped = Quantity()  # what left for good: shipped or delivered shipments
    released = Quantity()  # ordered − shipped, never to be shipped


class FulfilmentClosed(OwnedEventData):
    """The order ended (completed or closed): pending shipments were cancelled and what was not
    shipped is released; no shipment follows. Finance cuts the receivable to the shipped value."""
    fulfilment_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    reason = fields.String(required=True)
    lines = fields.List(fields.Nested(ClosedLine), required=True)


class FieldServiceSettled(OwnedEventData):
    """Head office settled a field-service fee statement: finance owes the provider `amount`."""
    field_service_order_id = Id()
    number = fields.String(required=True)
    provider_id = Id()
    provider_name = fields.String(required=True)
    amount = Money()
    currency = Currency()


EVENTS = {
    ("logistics.shipment_allowed", 1): ShipmentAllowed,
    ("logistics.shipment_recorded", 1): ShipmentRecorded,
    ("logistics.shipment_cancelled", 1): ShipmentCancelled,
    ("logistics.field_service_settled", 1): FieldServiceSettled,
    ("logistics.fulfilment_closed", 1): FulfilmentClosed,
}
