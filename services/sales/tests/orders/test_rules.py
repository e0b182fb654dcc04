from decimal import Decimal

import pytest

from crm_common.money import line_amount
from crm_common.money import total as order_total
from crm_common.statemachine import TransitionNotAllowed
from crm_sales.orders.rules import LIFECYCLE, allocate_invoice, allocate_receipt

next_status = LIFECYCLE.next_status


def test_happy_path_through_the_status_machine():
    status = "draft"
    for action, expected in (("submit", "submitted"), ("approve", "approved")):
        status = next_status(status, action)
        assert status == expected


@pytest.mark.parametrize("current,action", [
    ("approved", "approve"), ("approved", "cancel"), ("draft", "approve"),
    ("cancelled", "submit"), ("approved", "reject"),
])
def test_forbidden_transitions(current, action):
    with pytest.raises(TransitionNotAllowed):
        next_status(current, action)


def test_rejected_order_can_be_resubmitted():
    assert next_status("rejected", "submit") == "submitted"


def test_line_amount_rounds_half_up_to_the_cent():
    assert line_amount(Decimal("3"), Decimal("0.335")) == Decimal("1.01")
    assert line_amount(Decimal("1.5"), Decimal("19.99")) == Decimal("29.99")


def test_total_is_exact_sum_of_lines():
    amounts = [Decimal("0.10")] * 3
    assert order_total(amounts) == Decimal("0.30")
    assert order_total([]) == Decimal("0.00")


def test_a_receipt_fills_lines_in_order_and_never_beyond_what_they_owe():
    D = Decimal
    lines = [(D("100.00"), D("40.00")), (D("50.00"), D("0.00")), (D("10.00"), D("0.00"))]
    assert allocate_receipt(D("80.00"), lines) == [D("60.00"), D("20.00"), D("0.00")]
    assert allocate_receipt(D("500.00"), lines) == [D("60.00"), D("50.00"), D("10.00")]


def test_a_reversal_takes_money_back_from_the_last_lines_first():
    from crm_sales.orders.rules import allocate_reversal
    assert allocate_reversal(Decimal("60.00"), [Decimal("100.00"), Decimal("50.00")]) == \
        [Decimal("10.00"), Decimal("50.00")]
    assert allocate_reversal(Decimal("0.00"), [Decimal("5.00")]) == [Decimal("0.00")]


def test_an_invoice_fills_named_lines_and_spreads_the_rest_in_line_order():
    D = Decimal
    lines = [(D("1000.00"), D("0.00")), (D("79.96"), D("0.00"))]
    assert allocate_invoice(lines, [D("0"), D("50.00")], D("0")) == [D("0.00"), D("50.00")]
    assert allocate_invoice([(D("1000.00"), D("0.00")), (D("79.96"), D("50.00"))], [D("0"), D("0")],
                            D("1000.00")) == [D("1000.00"), D("50.00")]
    # Line 1 was filled by the unsplit invoice: 20.00 named on it pushes 20.00 of that on to line 2.
    assert allocate_invoice([(D("1000.00"), D("1000.00")), (D("79.96"), D("50.00"))], [D("20.00"), D("0")],
                            D("0")) == [D("1000.00"), D("70.00")]
