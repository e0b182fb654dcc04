"""Shipping rules as plain functions over Decimals: no database, no framework, easy to test."""
from decimal import Decimal

from crm_common.errors import Conflict
from crm_common.statemachine import StateMachine

OPEN, COMPLETED, CLOSED = "open", "completed", "closed"
# closed: the order ended; what was not shipped is released and nothing more ships
FULFILMENT_STATUSES = (OPEN, COMPLETED, CLOSED)
PENDING, SHIPPED, DELIVERED, CANCELLED = "pending", "shipped", "delivered", "cancelled"
SHIPMENT_STATUSES = (PENDING, SHIPPED, DELIVERED, CANCELLED)
# cancelling a delivered shipment is a return (LOG-05), not a cancellation
SHIPMENT = StateMachine("shipment", {
    "ship": ({PENDING}, SHIPPED),
    "deliver": ({SHIPPED}, DELIVERED),
    "cancel": ({PENDING, SHIPPED}, CANCELLED),
})


def remaining(ordered: Decimal, shipped: Decimal, released: Decimal = Decimal(0)) -> Decimal:
    return ordered - shipped - released


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


def may_change_shipments(fulfilment_status_: str, action: str) -> None:
    """Once the order ended nothing leaves any more, and what left stays left (a return brings it
    back): only delivering what is on its way still happens."""
    if fulfilment_status_ == CLOSED and action != "deliver":
        raise Conflict(f"Cannot {action} a shipment: its order has ended and the fulfilment is closed",
                       {"fulfilment_status": [CLOSED]})


def closing(lines: list) -> list:
    """What a closing releases per line: `lines` are (ordered, shipped) once the pending shipments
    are cancelled; the rest of each line is released, never to be shipped."""
    return [ordered - shipped for ordered, shipped in lines]
