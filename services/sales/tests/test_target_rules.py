from datetime import date
from decimal import Decimal

import pytest

from crm_sales.target_rules import period_bounds, progress_percent


def test_periods_are_half_open_ranges():
    assert period_bounds("2026") == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_bounds("2026-Q2") == (date(2026, 4, 1), date(2026, 7, 1))
    assert period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    for bad in ("2026-13", "2026-Q5", "26", "2026-7"):
        with pytest.raises(ValueError):
            period_bounds(bad)


def test_progress_is_rounded_to_a_tenth_of_a_percent():
    assert progress_percent(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert progress_percent(Decimal("0"), Decimal("0")) == Decimal("100.0")
