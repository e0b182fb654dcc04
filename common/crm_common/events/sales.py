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


class ContractExpiring(OwnedEventData):
    """Drafted by the workspace (issue 6) for issue 4: a contract ends on `expires_on`."""
    contract_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    expires_on = fields.Date(required=True)
    days_left = fields.Integer(required=True)


class ApprovalWaiting(OwnedEventData):
    """Drafted by the workspace (issue 6) for the approval engine: `approver_id` must act on
    step `step` of the order's approval. Owner/department/branch are the order's."""
    order_id = Id()
    number = fields.String(required=True)
    step = fields.Integer(required=True)
    approver_id = Id()
    total = Money()
    currency = Currency()


EVENTS = {
    ("sales.order_submitted", 1): OrderSubmitted,
    ("sales.order_approved", 1): OrderApproved,
    ("sales.contract_expiring", 1): ContractExpiring,
    ("sales.approval_waiting", 1): ApprovalWaiting,
}
