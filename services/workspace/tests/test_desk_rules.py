"""Pure rules of the desk: calendar ranges, plan periods, phone numbers, iCalendar text."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from crm_workspace import ical, periods, phones

UTC = timezone.utc


def test_views_are_half_open_and_weeks_start_on_monday():
    assert periods.view_range("day", date(2026, 3, 11)) == (datetime(2026, 3, 11, tzinfo=UTC),
                                                           datetime(2026, 3, 12, tzinfo=UTC))
    assert periods.view_range("week", date(2026, 3, 15)) == (datetime(2026, 3, 9, tzinfo=UTC),
                                                            datetime(2026, 3, 16, tzinfo=UTC))
    assert periods.view_range("month", date(2026, 12, 31)) == (datetime(2026, 12, 1, tzinfo=UTC),
                                                              datetime(2027, 1, 1, tzinfo=UTC))
    assert periods.view_range("month", date(2028, 2, 29))[1] == datetime(2028, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("view", ["day", "week", "month"])
def test_a_view_past_the_last_date_is_a_range_error(view):
    with pytest.raises(periods.RangeError):
        periods.view_range(view, date(9999, 12, 31))


@pytest.mark.parametrize("start, end", [
    (datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
    (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC)),
    (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC)),
])
def test_inverted_empty_and_long_ranges_are_refused(start, end):
    with pytest.raises(periods.RangeError):
        periods.explicit_range(start, end)


def test_plan_periods_start_on_their_first_day():
    assert periods.period_start("daily", date(2026, 3, 12)) == date(2026, 3, 12)
    assert periods.period_start("weekly", date(2026, 3, 12)) == date(2026, 3, 9)
    assert periods.period_start("monthly", date(2026, 3, 12)) == date(2026, 3, 1)


@pytest.mark.parametrize("raw, expected", [
    ("+86 139-1234-5678", "13912345678"), ("0086 13912345678", "13912345678"),
    ("(021) 5555 0000", "02155550000"), ("139.1234.5678", "13912345678"),
    ("abc", None), ("", None), ("12", None), ("+86", None), ("139x1234", None),
])
def test_phone_numbers_are_compared_as_digits(raw, expected):
    assert phones.normalise(raw) == expected


def _event(**kw):
    base = dict(id="e1", title="会议", location=None, notes=None, all_day=False,
                starts_at=datetime(2026, 3, 11, 2, tzinfo=UTC), ends_at=datetime(2026, 3, 11, 3, tzinfo=UTC))
    return SimpleNamespace(**{**base, **kw})


def test_icalendar_escapes_and_folds_long_lines():
    text = ical.calendar([_event(title="a; b, c\nd", notes="长" * 100)], datetime(2026, 3, 1, tzinfo=UTC))
    assert "SUMMARY:a\\; b\\, c\\nd\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "DTSTART:20260311T020000Z" in text and text.endswith("END:VCALENDAR\r\n")


def test_all_day_events_use_dates():
    text = ical.calendar([_event(all_day=True, ends_at=datetime(2026, 3, 11, 2, tzinfo=UTC))],
                         datetime(2026, 3, 1, tzinfo=UTC))
    assert "DTSTART;VALUE=DATE:20260311" in text and "DTEND;VALUE=DATE:20260312" in text
