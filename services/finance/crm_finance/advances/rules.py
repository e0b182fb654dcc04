"""Advance receipt rules (预收款). Pure.

An advance is held against a submitted order until the order's receivable opens, which applies
it (it becomes a receipt of that receivable), or until the order ends unapproved (rejected or
cancelled), which makes it refundable; a refund payment paid makes it refunded.
"""
from decimal import Decimal

from crm_common.statemachine import StateMachine

HELD, APPLIED, REFUNDABLE, REFUNDED = "held", "applied", "refundable", "refunded"
STATUSES = (HELD, APPLIED, REFUNDABLE, REFUNDED)
ADVANCE = StateMachine("advance_receipt", {
    "apply": ({HELD}, APPLIED),
    "release": ({HELD}, REFUNDABLE),
    "refund": ({REFUNDABLE}, REFUNDED),
})
# what finance knows of an order before its receivable: submitted (advances taken) or ended unapproved
SUBMITTED, ENDED = "submitted", "ended"
# advances that count against the order's total: everything not given back
TAKEN = (HELD, APPLIED)


def room(order_total: Decimal, taken: Decimal) -> Decimal:
    """What may still be paid in advance: the order's total less the advances held or applied."""
    return max(order_total - taken, Decimal(0))
