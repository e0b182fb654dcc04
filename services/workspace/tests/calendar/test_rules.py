"""Pure rules of the calendar: ranges and the iCalendar text."""
from datetime import date, datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from crm_workspace.calendar import rules

UTC = timezone.utc
BEIJING = ZoneInfo("Asia/Shanghai")


def test_views_are_half_open_and_weeks_start_on_monday():
    assert rules.view_range("day", date(2026, 3, 11), UTC) == (datetime(2026, 3, 11, tzinfo=UTC),
                                                                datetime(2026, 3, 12, tzinfo=UTC))
    assert rules.view_range("week", date(2026, 3, 15), UTC) == (datetime(2026, 3, 9, tzinfo=UTC),
                                                                 datetime(2026, 3, 16, tzinfo=UTC))
    assert rules.view_range("month", date(2026, 12, 31), UTC) == (datetime(2026, 12, 1, tzinfo=UTC),
                                                                   datetime(2027, 1, 1, tzinfo=UTC))
    assert rules.view_range("month", date(2028, 2, 29), UTC)[1] == datetime(2028, 3, 1, tzinfo=UTC)


def test_a_beijing_day_starts_at_16_utc_the_day_before():
    assert rules.view_range("day", date(2026, 12, 1), BEIJING) == (datetime(2026, 11, 30, 16, tzinfo=UTC),
                                                                    datetime(2026, 12, 1, 16, tzinfo=UTC))
    assert rules.view_range("month", date(2026, 4, 10), BEIJING)[0] == datetime(2026, 3, 31, 16, tzinfo=UTC)


@pytest.mark.parametrize("view", ["day", "week", "month"])
def test_a_view_past_the_last_date_is_a_range_error(view):
    with pytest.raises(rules.RangeError):
        rules.view_range(view, date(9999, 12, 31), BEIJING)


@pytest.mark.parametrize("start, end", [
    (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC)),
])
def test_inverted_empty_and_long_ranges_are_refused(start, end):
    with pytest.raises(rules.RangeError):
        rules.explicit_range(start, end)


def _event(**kw):
    base = dict(id="e1", title="会议", location=None, notes=None, all_day=False,
                starts_at=datetime(2026, 3, 11, 2, tzinfo=UTC), ends_at=datetime(2026, 3, 11, 3, tzinfo=UTC))
    return SimpleNamespace(**{**base, **kw})


def test_icalendar_escapes_and_folds_long_lines():
    text = rules.icalendar([_event(title="a; b, c\nd", notes="长" * 100)], datetime(2026, 3, 1, tzinfo=UTC), UTC)
    assert "SUMMARY:a\\; b\\, c\\nd\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "DTSTART:20260311T020000Z" in text and text.endswith("END:VCALENDAR\r\n")


def test_all_day_events_use_dates():
    text = rules.icalendar([_event(all_day=True, ends_at=datetime(2026, 3, 11, 2, tzinfo=UTC))],
                         datetime(2026, 3, 1, tzinfo=UTC), UTC)
    assert "DTSTART;VALUE=DATE:20260311" in text and "DTEND;VALUE=DATE:20260312" in text


def test_an_all_day_event_from_beijing_midnight_is_that_beijing_day():
    event = _event(all_day=True, starts_at=datetime(2026, 3, 10, 16, tzinfo=UTC),
                   ends_at=datetime(2026, 3, 11, 16, tzinfo=UTC))
    text = rules.icalendar([event], datetime(2026, 3, 1, tzinfo=UTC), BEIJING)
    assert "DTSTART;VALUE=DATE:20260311" in text and "DTEND;VALUE=DATE:20260312" in text
