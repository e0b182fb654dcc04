from datetime import date
from decimal import Decimal as D

from crm_finance import receivable_rules as rules


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
