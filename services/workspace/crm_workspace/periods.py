"""Calendar ranges as pure rules: a day, week or month around a date, or an explicit range.

A range is half-open [start, end) in UTC. Explicit ranges are capped so nobody asks the server
for years of events in one call (a month view needs at most 6 weeks).
"""
from datetime import date, datetime, time, timedelta, timezone

MAX_RANGE = timedelta(days=62)
VIEWS = ("day", "week", "month")


class RangeError(ValueError):
    pass


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def view_range(view: str, day: date) -> tuple[datetime, datetime]:
    """Weeks start on Monday (the Chinese calendar convention)."""
    try:
        if view == "day":
            start = day
            end = day + timedelta(days=1)
        elif view == "week":
            start = day - timedelta(days=day.weekday())
            end = start + timedelta(days=7)
        elif view == "month":
            start = day.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1)
        else:
            raise RangeError(f"view must be one of {', '.join(VIEWS)}")
    except OverflowError:
        raise RangeError("the view would end after 9999-12-31") from None
    return _midnight(start), _midnight(end)


def explicit_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if end <= start:
        raise RangeError("to must be later than from")
    if end - start > MAX_RANGE:
        raise RangeError(f"a range spans at most {MAX_RANGE.days} days")
    return start, end


def period_start(period: str, day: date) -> date:
    """The first day of the daily/weekly/monthly plan period containing `day`."""
    if period == "daily":
        return day
    if period == "weekly":
        return day - timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    raise RangeError(f"unknown period {period}")
