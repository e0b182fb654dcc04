"""Calendar rules of the money picture: standard library only."""
from datetime import date, datetime, tzinfo


def local_today(now: datetime, zone: tzinfo) -> date:
    return now.astimezone(zone).date()


def days_left(until: datetime | None, now: datetime, zone: tzinfo) -> int | None:
    """Whole calendar days in the branch's zone until `until` (0 once the day has come); None
    when there is no such moment (a customer in the pool, or no recycle rule for its level)."""
    if until is None:
        return None
    return max((until.astimezone(zone).date() - local_today(now, zone)).days, 0)
