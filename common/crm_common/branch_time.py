"""Calendar notions in the branch's time zone (DESIGN.md "Time"): `CRM_TIMEZONE`, default
Asia/Shanghai. Instants stay UTC; every "today", day, week, month, quarter and year people see
(due dates, ageing, quotas, statistics, report periods, calendar views, numbering years) is the
branch's (docs/architecture.md, "Time zones")."""
import os
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from crm_common import clock


def zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("CRM_TIMEZONE", "Asia/Shanghai"))


def today(now: datetime, zone_: tzinfo) -> date:
    return now.astimezone(zone_).date()


def current_day(now: datetime | None = None) -> date:
    """The branch's today: the calendar day of `now` (default: the clock's) in the branch's zone."""
    return today(now or clock.now(), zone())


def start_of_day(day: date, zone_: tzinfo) -> datetime:
    """The first instant of `day` in the zone, in UTC."""
    return datetime.combine(day, time(), zone_).astimezone(timezone.utc)


def days_later(instant: datetime, days: int, zone_: tzinfo) -> datetime:
    """The start of the branch day `days` days after the instant's: N days without follow-up, or
    a protection of N days, end at a local midnight (last contact on the 1st, 30 days → the 31st,
    00:00 in Beijing), never at 08:00 as UTC days would."""
    return start_of_day(day_of(instant, zone_) + timedelta(days=days), zone_)


def day_of(instant: datetime, zone_: tzinfo) -> date:
    """The calendar day an instant falls on in the zone (23:30 UTC is the next day in Beijing)."""
    return instant.astimezone(zone_).date()


def end_of_day(day: date, zone_: tzinfo) -> datetime:
    """The first instant after `day` ends in the zone, in UTC."""
    return start_of_day(day + timedelta(days=1), zone_)


def days_until(until: datetime, now: datetime, zone_: tzinfo) -> int:
    """Calendar days from today to `until`'s day in the zone (negative once it has passed)."""
    return (until.astimezone(zone_).date() - today(now, zone_)).days
