"""Events the sales service emits."""
from marshmallow import fields

from crm_common.events.fields import Currency, EventData, Id, Money, OwnedEventData, Quantity


class OrderLine(EventData):
    line_id = Id()
    product_id = Id()
    product_name = fields.String(required=True)
    quantity = Quantity()
    unit_price = Money()
    amount = Money()


class OrderSubmitted(OwnedEventData):
    order_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = Currency()


class OrderApproved(OrderSubmitted):
    payment_terms_days = fields.Integer(required=True)
    approved_by = Id()
    lines = fields.List(fields.Nested(OrderLine), required=True)


EVENTS = {
    ("sales.order_submitted", 1): OrderSubmitted,
    ("sales.order_approved", 1): OrderApproved,
}


class ReturnLine(EventData):
    order_line_id = Id()
    product_id = Id()
    quantity = Quantity()
    unit_price = Money()
    amount = Money()


class ReturnApproved(OwnedEventData):
    """Contract with logistics (receives the goods, LOG-05) and finance (refunds, FIN-07)."""
    return_id = Id()
    order_id = Id()
    lines = fields.List(fields.Nested(ReturnLine), required=True)
    total = Money()
    currency = Currency()
    customer_id = Id()


EVENTS[("sales.return_approved", 1)] = ReturnApproved
