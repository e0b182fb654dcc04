"""Pure rules of the calendar: ranges to show, how long an event may last, the iCalendar feed.

A range is a day, week or month around a date, or an explicit range, half-open [start, end); a
view's days are the branch's (its time zone, crm_common.branch_time), its bounds local midnights. Explicit ranges are capped so nobody asks the server for years of events in one call (a
month view needs at most 6 weeks).

The feed is RFC 5545 text written by hand (a dozen lines) rather than with a library: it only
needs VEVENTs with UID, DTSTAMP, DTSTART/DTEND, SUMMARY, LOCATION and DESCRIPTION.
"""
from datetime import date, datetime, time, timedelta, timezone, tzinfo

MAX_RANGE = timedelta(days=62)
MAX_EVENT_LENGTH = timedelta(days=31)
VIEWS = ("day", "week", "month")


class RangeError(ValueError):
    pass


def _midnight(day: date, zone: tzinfo) -> datetime:
    """Local midnight, answered with the zone's offset (2026-03-09T00:00:00+08:00)."""
    return datetime.combine(day, time.min, tzinfo=zone)


def view_range(view: str, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """The days, weeks (starting on Monday, the Chinese convention) and months of `zone`."""
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
        return _midnight(start, zone), _midnight(end, zone)
    except OverflowError:
        raise RangeError("the view would end after 9999-12-31") from None


def explicit_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if end <= start:
        raise RangeError("to must be later than from")
    if end - start > MAX_RANGE:
        raise RangeError(f"a range spans at most {MAX_RANGE.days} days")
    return start, end



def span_problem(start, end) -> str | None:
    if end < start:
        return "Must not be earlier than starts_at."
    if end - start > MAX_EVENT_LENGTH:
        return f"An event lasts at most {MAX_EVENT_LENGTH.days} days."
    return None


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after one space (RFC 5545 3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    return out + [current] if out else [current]


def _utc(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event, stamp: str, zone: tzinfo) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.id}@crm", f"DTSTAMP:{stamp}"]
    if event.all_day:  # the branch's days: an all-day event from 00:00 Beijing is that Beijing day
        start = event.starts_at.astimezone(zone).date()
        end = max(event.ends_at.astimezone(zone).date(), start + timedelta(days=1))
        lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        lines += [f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}"]
    lines.append(f"SUMMARY:{_escape(event.title)}")
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    if event.notes:
        lines.append(f"DESCRIPTION:{_escape(event.notes)}")
    return lines + ["END:VEVENT"]


def icalendar(events, now: datetime, zone: tzinfo) -> str:
    stamp = _utc(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//crm-suite//workspace//EN", "CALSCALE:GREGORIAN"]
    for event in events:
        lines += _event_lines(event, stamp, zone)
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))
