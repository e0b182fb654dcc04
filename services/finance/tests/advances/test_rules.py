"""Advance receipt rules: what an order leaves to pay in advance, and the life cycle."""
from decimal import Decimal

import pytest

from crm_common.errors import Conflict
from crm_finance.advances import rules


def test_room_is_the_total_less_what_was_taken_never_below_zero():
    assert rules.room(Decimal("1000.00"), Decimal("300.00")) == Decimal("700.00")
    assert rules.room(Decimal("1000.00"), Decimal("1200.00")) == Decimal(0)


def test_an_advance_is_applied_or_given_back_once():
    assert rules.ADVANCE.next_status(rules.HELD, "apply") == rules.APPLIED
    assert rules.ADVANCE.next_status(rules.HELD, "release") == rules.REFUNDABLE
    assert rules.ADVANCE.next_status(rules.REFUNDABLE, "refund") == rules.REFUNDED
    for status, action in ((rules.APPLIED, "release"), (rules.APPLIED, "apply"), (rules.REFUNDABLE, "apply"),
                           (rules.HELD, "refund"), (rules.REFUNDED, "refund")):
        with pytest.raises(Conflict):
            rules.ADVANCE.next_status(status, action)
