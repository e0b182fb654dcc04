"""Pure rules of work plans: which period a day belongs to."""
from datetime import date, timedelta

PLAN_PERIODS = ("daily", "weekly", "monthly")


def period_start(period: str, day: date) -> date:
    """The first day of the daily/weekly/monthly plan period containing `day` (weeks start on Monday)."""
    if period == "daily":
        return day
    if period == "weekly":
        return day - timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period}")
