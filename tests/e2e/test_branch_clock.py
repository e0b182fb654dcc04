"""China's clock over HTTP (issue 14): with the services' clock at 23:30 UTC, it is already the
next day in Beijing, and that is the day a receivable is dated and due by, the dashboard's
"today" and the day call statistics count a call on. The clock is the test suite's own
(`clock` fixture, crm_common/clock.py); it is set in the past, so nothing lands in the future."""
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def late_evening():
    """23:30 UTC yesterday: 07:30 today in Beijing. (UTC day, Beijing day)."""
    utc_day = datetime.now(timezone.utc).date() - timedelta(days=1)
    return datetime.combine(utc_day, time(23, 30), timezone.utc), utc_day, utc_day + timedelta(days=1)


def test_a_receivable_opened_at_2330_utc_is_due_on_the_beijing_day(clock, late_evening, approved_order):
    instant, _, beijing_day = late_evening
    clock.set(instant)
    receivable = approved_order(payment_terms_days=0)["receivable"]
    assert receivable["due_date"] == beijing_day.isoformat()


def test_the_dashboards_today_is_the_beijing_day(clock, late_evening, desk):
    instant, utc_day, beijing_day = late_evening
    me = desk["api"]["desk_a2"]
    tag = uuid.uuid4().hex[:6]
    titles = {}
    for name, start in (("utc", datetime.combine(utc_day, time(14), timezone.utc)),  # 22:00 the day before in Beijing
                        ("beijing", datetime.combine(beijing_day, time(12), timezone.utc))):  # 20:00 in Beijing
        titles[name] = f"{name} {tag}"
        created = me.post("/calendar/events", json={"title": titles[name], "starts_at": start.isoformat(),
                                                     "ends_at": (start + timedelta(minutes=30)).isoformat()})
        assert created.status_code == 201, created.text
    clock.set(instant)
    shown = [event["title"] for event in me.get("/dashboard").json()["today_events"]]
    assert titles["beijing"] in shown and titles["utc"] not in shown
    day = me.get("/calendar/events", params={"view": "day"}).json()
    assert day["from"].startswith(f"{beijing_day.isoformat()}T00:00:00+08:00")


def test_a_call_at_2330_utc_counts_on_the_next_beijing_day(late_evening, desk):
    instant, utc_day, beijing_day = late_evening
    me = desk["api"]["desk_a2"]

    def counted(day):
        stats = me.get("/call-statistics", params={"date_from": day.isoformat(), "date_to": day.isoformat()})
        assert stats.status_code == 200, stats.text
        return sum(row["count"] for row in stats.json()["calls_by_status"])

    before = {day: counted(day) for day in (utc_day, beijing_day)}
    created = me.post("/calls", json={"phone": "13912345678", "summary": "深夜来电", "received_at": instant.isoformat()})
    assert created.status_code == 201, created.text
    assert {day: counted(day) - before[day] for day in before} == {utc_day: 0, beijing_day: 1}
