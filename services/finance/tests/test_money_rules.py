from datetime import date
from decimal import Decimal as D

import pytest

from crm_finance import money_rules as rules


@pytest.mark.parametrize("gross,rate,net,tax", [
    ("113.00", "0.13", "100.00", "13.00"),
    ("30.00", "0.13", "26.55", "3.45"),   # 3.4513… rounds down
    ("0.05", "0.13", "0.04", "0.01"),     # 0.00575… rounds half up to 0.01
    ("10.00", "0", "10.00", "0.00"),
])
def test_tax_inside_a_gross_amount_rounds_half_up_and_net_takes_the_rest(gross, rate, net, tax):
    assert rules.split_tax(D(gross), D(rate)) == (D(net), D(tax))
    assert sum(rules.split_tax(D(gross), D(rate))) == D(gross)


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
