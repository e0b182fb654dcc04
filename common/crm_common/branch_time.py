"""Calendar notions in the branch's time zone (DESIGN.md "Time"): `CRM_TIMEZONE`, default
Asia/Shanghai. Instants stay UTC; "today", "N days left", "due before today" are the branch's."""
import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo


def zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("CRM_TIMEZONE", "Asia/Shanghai"))


def today(now: datetime, zone_: tzinfo) -> date:
    return now.astimezone(zone_).date()


def end_of_day(day: date, zone_: tzinfo) -> datetime:
    """The first instant after `day` ends in the zone, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(), zone_).astimezone(timezone.utc)


def days_until(until: datetime, now: datetime, zone_: tzinfo) -> int:
    """Calendar days from today to `until`'s day in the zone (negative once it has passed)."""
    return (until.astimezone(zone_).date() - today(now, zone_)).days
