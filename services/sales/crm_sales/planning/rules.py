"""Periods of targets (SAL-10), free of framework code: "2026", "2026-Q3", "2026-07"."""
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


def period_bounds(period: str) -> tuple[date, date]:
    """[start, end) of a period; ValueError if it is not one."""
    match = PERIOD.match(period)
    if not match:
        raise ValueError(period)
    year, quarter, month = int(match[1]), match[2], match[3]
    if quarter:
        first = 3 * (int(quarter) - 1) + 1
        return date(year, first, 1), (date(year, first + 3, 1) if first < 10 else date(year + 1, 1, 1))
    if month:
        m = int(month)
        return date(year, m, 1), (date(year, m + 1, 1) if m < 12 else date(year + 1, 1, 1))
    return date(year, 1, 1), date(year + 1, 1, 1)


def progress_percent(achieved: Decimal, amount: Decimal) -> Decimal:
    if amount == 0:
        return Decimal("100.0")
    return (achieved * 100 / amount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
