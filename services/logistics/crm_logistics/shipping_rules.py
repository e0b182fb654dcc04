"""Shipping rules as plain functions over Decimals: no database, no framework, easy to test."""
from decimal import Decimal

OPEN, COMPLETED = "open", "completed"
PENDING, SHIPPED, DELIVERED, CANCELLED = "pending", "shipped", "delivered", "cancelled"
# action -> (statuses it may start from, status it leads to); cancelling a delivered shipment
# is a return (LOG-05), not a cancellation
SHIPMENT_TRANSITIONS = {
    "ship": ({PENDING}, SHIPPED),
    "deliver": ({SHIPPED}, DELIVERED),
    "cancel": ({PENDING, SHIPPED}, CANCELLED),
}


class TransitionNotAllowed(Exception):
    pass


def next_status(transitions: dict, current: str, action: str) -> str:
    allowed_from, target = transitions[action]
    if current not in allowed_from:
        raise TransitionNotAllowed(f"Cannot {action} when {current}")
    return target


def remaining(ordered: Decimal, shipped: Decimal) -> Decimal:
    return ordered - shipped


def over_shipped_lines(remaining_by_line: dict, requested: list) -> dict:
    """Errors keyed like marshmallow's nested-list errors: {index: {field: [message]}}.

    `requested` is [(fulfilment_line_id, quantity), ...] in payload order; a line id missing
    from `remaining_by_line` does not belong to the fulfilment being shipped.
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
