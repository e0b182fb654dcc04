from datetime import date
from decimal import Decimal as D

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_finance.receivables import rules


def test_due_date_adds_payment_terms():
    assert rules.due_date(date(2026, 1, 31), 30) == date(2026, 3, 2)


def test_due_date_with_zero_terms_is_the_opening_day():
    assert rules.due_date(date(2026, 12, 31), 0) == date(2026, 12, 31)


def test_outstanding_is_exact_to_the_cent():
    assert rules.outstanding(D("100.10"), D("33.37")) == D("66.73")


def test_status_open_before_any_receipt():
    assert rules.receivable_status(D("100.00"), D("0")) == rules.OPEN


def test_status_partially_paid():
    assert rules.receivable_status(D("100.00"), D("0.01")) == rules.PARTIALLY_PAID
    assert rules.receivable_status(D("100.00"), D("99.99")) == rules.PARTIALLY_PAID


def test_status_paid_when_fully_received():
    assert rules.receivable_status(D("100.00"), D("100.00")) == rules.PAID


def test_zero_amount_is_paid_from_the_start():
    assert rules.receivable_status(D("0.00"), D("0")) == rules.PAID


@pytest.mark.parametrize("days,bucket", [(-3, "current"), (0, "current"), (1, "0-30"), (30, "0-30"),
                                         (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"),
                                         (91, "90+"), (4000, "90+")])
def test_ageing_bucket_edges(days, bucket):
    assert rules.ageing_bucket(days) == bucket


def test_days_overdue_counts_calendar_days():
    assert rules.days_overdue(date(2026, 1, 31), date(2026, 3, 2)) == 30


def test_plan_must_add_up_to_the_receivable():
    plan = [(date(2026, 1, 1), D("50.00")), (date(2026, 2, 1), D("49.99"))]
    assert "instalments" in rules.plan_errors(D("100.00"), plan)
    assert rules.plan_errors(D("99.99"), plan) == {}


def test_plan_due_dates_must_increase():
    plan = [(date(2026, 2, 1), D("50.00")), (date(2026, 2, 1), D("50.00"))]
    assert rules.plan_errors(D("100.00"), plan) == {"instalments": {1: {"due_date": [
        "Must be after the previous instalment's due date."]}}}


def test_received_pays_the_oldest_instalments_first():
    assert rules.allocate(D("120.00"), [D("100.00"), D("50.00"), D("30.00")]) == [
        (D("100.00"), D("100.00")), (D("50.00"), D("20.00")), (D("30.00"), D("0"))]


def test_the_next_due_date_is_the_first_unpaid_instalments():
    plan = [(date(2026, 1, 1), D("100.00")), (date(2026, 2, 1), D("50.00"))]
    assert rules.next_due(D("0"), plan) == date(2026, 1, 1)
    assert rules.next_due(D("100.00"), plan) == date(2026, 2, 1)
    assert rules.next_due(D("150.00"), plan) == date(2026, 2, 1)  # all paid: the last one's


@pytest.mark.parametrize("paid,due,status", [(D("10"), date(2026, 1, 1), "paid"), (D("9.99"), date(2026, 1, 1), "overdue"),
                                             (D("0"), date(2026, 1, 2), "open")])
def test_instalment_status(paid, due, status):
    assert rules.instalment_status(D("10"), paid, due, date(2026, 1, 2)) == status


def test_a_receipt_is_reversed_at_most_once():
    assert rules.RECEIPT.next_status(rules.receipt_status(False), "reverse") == rules.REVERSED
    with pytest.raises(TransitionNotAllowed):
        rules.RECEIPT.next_status(rules.receipt_status(True), "reverse")


def test_an_order_ended_early_owes_each_line_pro_rata_and_the_rest_back():
    from decimal import Decimal as D

    from crm_finance.receivables.rules import closing
    # 1 of 3 shipped on a 100.00 line: 33.33 (half up), the whole second line: exactly its amount
    figures = closing(D("150.01"), D("90.00"), D("0.00"), [(D("100.00"), D("0"), D("3"), D("1")),
                                                          (D("50.01"), D("0"), D("2"), D("2"))])
    assert (figures["amount"], figures["refund_due"], figures["status"]) == (D("83.34"), D("6.66"), "paid")
    assert closing(D("10.00"), D("0"), D("0"), [(D("10.00"), D("0"), D("1"), D("0"))])["status"] == "cancelled"
