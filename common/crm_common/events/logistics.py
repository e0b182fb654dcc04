"""Events the logistics service emits."""
from marshmallow import fields

from crm_common.events.fields import (Currency, EventData, HandOverDone, Id, Money, OwnedEventData, Quantity,
                                      payment_plan)


class ShipmentAllowed(OwnedEventData):
    fulfilment_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = Currency()
    payment_terms_days = fields.Integer(required=True)
    payment_plan = payment_plan()


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


class FieldServiceDispatched(OwnedEventData):
    """An order was dispatched to a service provider (a user holding field_service.provider)."""
    field_service_order_id = Id()
    number = fields.String(required=True)
    provider_id = Id()
    provider_name = fields.String(required=True)
    address = fields.String(required=True)


class FieldServiceFeedbackOverdue(OwnedEventData):
    """The provider's feedback is past `feedback_due_at` (once per order and due time)."""
    field_service_order_id = Id()
    number = fields.String(required=True)
    provider_id = Id()
    provider_name = fields.String(required=True)
    feedback_due_at = fields.AwareDateTime(required=True)


EVENTS = {
    ("logistics.shipment_allowed", 1): ShipmentAllowed,
    ("logistics.shipment_recorded", 1): ShipmentRecorded,
    ("logistics.shipment_cancelled", 1): ShipmentCancelled,
    ("logistics.field_service_settled", 1): FieldServiceSettled,
    ("logistics.field_service_dispatched", 1): FieldServiceDispatched,
    ("logistics.field_service_feedback_overdue", 1): FieldServiceFeedbackOverdue,
    ("logistics.handover_done", 1): HandOverDone,
    ("logistics.fulfilment_closed", 1): FulfilmentClosed,
}
