from datetime import date
from decimal import Decimal

import pytest
from marshmallow import ValidationError

from crm_sales.planning.rules import period_bounds, progress_percent
from crm_sales.planning.schemas import TargetIn


def test_periods_are_half_open_ranges():
    assert period_bounds("2026") == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_bounds("2026-Q2") == (date(2026, 4, 1), date(2026, 7, 1))
    assert period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    for bad in ("2026-13", "2026-Q5", "26", "2026-7", "0000", "9999", "9999-Q4", "9999-12"):
        with pytest.raises(ValueError):
            period_bounds(bad)


def test_progress_is_rounded_to_a_tenth_of_a_percent():
    assert progress_percent(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert progress_percent(Decimal("0"), Decimal("0")) == Decimal("100.0")


def test_a_target_for_a_period_off_the_calendar_is_invalid_input():
    payload = {"subject": "department", "department_path": "/", "period": "9999-12", "amount": "1.00"}
    with pytest.raises(ValidationError) as refused:
        TargetIn().load(payload)
    assert refused.value.messages == {"period": ["No calendar holds this period."]}
    assert TargetIn().load({**payload, "period": "9999-11"})["period"] == "9999-11"
