"""RFC 5545 text for a calendar feed, as a pure function of event rows.

Written by hand (a dozen lines) rather than with a library: the feed only needs VEVENTs with
UID, DTSTAMP, DTSTART/DTEND, SUMMARY, LOCATION and DESCRIPTION.
"""
from datetime import datetime, timedelta, timezone


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


def _event_lines(event, stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.id}@crm", f"DTSTAMP:{stamp}"]
    if event.all_day:
        start = event.starts_at.astimezone(timezone.utc).date()
        end = max(event.ends_at.astimezone(timezone.utc).date(), start + timedelta(days=1))
        lines += [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        lines += [f"DTSTART:{_utc(event.starts_at)}", f"DTEND:{_utc(event.ends_at)}"]
    lines.append(f"SUMMARY:{_escape(event.title)}")
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    if event.notes:
        lines.append(f"DESCRIPTION:{_escape(event.notes)}")
    return lines + ["END:VEVENT"]


def calendar(events, now: datetime) -> str:
    stamp = _utc(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//crm-suite//workspace//EN", "CALSCALE:GREGORIAN"]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))
