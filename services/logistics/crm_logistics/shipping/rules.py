"""Shipping rules as plain functions over Decimals: no database, no framework, easy to test."""
from decimal import Decimal

from crm_common.statemachine import StateMachine

OPEN, COMPLETED = "open", "completed"
FULFILMENT_STATUSES = (OPEN, COMPLETED)
PENDING, SHIPPED, DELIVERED, CANCELLED = "pending", "shipped", "delivered", "cancelled"
SHIPMENT_STATUSES = (PENDING, SHIPPED, DELIVERED, CANCELLED)
# cancelling a delivered shipment is a return (LOG-05), not a cancellation
SHIPMENT = StateMachine("shipment", {
    "ship": ({PENDING}, SHIPPED),
    "deliver": ({SHIPPED}, DELIVERED),
    "cancel": ({PENDING, SHIPPED}, CANCELLED),
})


def remaining(ordered: Decimal, shipped: Decimal) -> Decimal:
    return ordered - shipped


def over_shipped_lines(remaining_by_line: dict, requested: list) -> dict:
    """Errors keyed like marshmallow's nested-list errors: {index: {field: [message]}}.

    `requested` is [(fulfilment_line_id, quantity), ...] in payload order; a line id missing
    from `remaining_by_line` (None: an order line of another order) does not belong to the
    fulfilment being shipped.
    """
    errors = {}
    for index, (line_id, quantity) in enumerate(requested):
        if line_id not in remaining_by_line:
            errors[index] = {"fulfilment_line_id": ["Not a line of this fulfilment."]}
        elif quantity > remaining_by_line[line_id]:
            errors[index] = {"quantity": [f"Exceeds the remaining quantity {remaining_by_line[line_id]}."]}
    return errors


def fulfilment_status(remainders) -> str:
    """Completed once nothing is left to ship on any line (an order without lines has nothing)."""
    return COMPLETED if all(r <= 0 for r in remainders) else OPEN
