"""The calendar through its use cases: owners, department sharing, views and the feed."""
from datetime import datetime, timedelta, timezone

import pytest

from crm_common.errors import BadRequest, Forbidden, InvalidInput, NotFound
from crm_workspace.calendar import queries, use_cases

START = datetime(2026, 3, 11, 2, tzinfo=timezone.utc)  # a Wednesday


@pytest.fixture
def person(principal_factory):
    def make(path="/hq/sales/", scope="own"):
        return principal_factory(permissions={"calendar.use"}, department_path=path, scope=scope)
    return make


def event(uow, who, start=START, hours=1, **extra):
    return use_cases.create(uow(), who, {"title": "拜访客户", "starts_at": start.isoformat(),
                                         "ends_at": (start + timedelta(hours=hours)).isoformat(), **extra})


def week(uow, who, **extra):
    return queries.list_(uow(), who, {"view": "week", "date": "2026-03-12", **extra})


def test_an_event_is_its_owners_and_shows_in_its_week(uow, person):
    me = person()
    created = event(uow, me, location="上海")
    assert queries.get(uow(), me, created["id"])["location"] == "上海"
    listed = week(uow, me)
    assert [e["id"] for e in listed["items"]] == [created["id"]]
    assert listed["from"].startswith("2026-03-09") and listed["to"].startswith("2026-03-16")
    assert queries.list_(uow(), me, {"view": "week", "date": "2026-03-20"})["items"] == []


def test_a_shared_event_is_seen_by_the_department_but_changed_only_in_the_owners_scope(uow, person):
    me, colleague, elsewhere = person(), person(), person("/hq/finance/")
    private, shared = event(uow, me), event(uow, me, shared=True)
    assert [e["id"] for e in week(uow, colleague)["items"]] == [shared["id"]]
    assert week(uow, elsewhere)["items"] == []
    with pytest.raises(NotFound):
        queries.get(uow(), colleague, private["id"])
    with pytest.raises(NotFound):
        use_cases.update(uow(), colleague, shared["id"], {"title": "改"})
    assert queries.get(uow(), me, shared["id"])["title"] == "拜访客户"


def test_mine_leaves_out_what_others_share(uow, person):
    me, colleague = person(), person()
    event(uow, colleague, shared=True)
    mine = event(uow, me)
    assert [e["id"] for e in week(uow, me, mine="true")["items"]] == [mine["id"]]
    assert len(week(uow, me)["items"]) == 2


def test_an_update_that_would_end_before_the_start_is_refused_and_changes_nothing(uow, person):
    me = person()
    created = event(uow, me)
    with pytest.raises(InvalidInput):
        use_cases.update(uow(), me, created["id"], {"ends_at": (START - timedelta(hours=1)).isoformat()})
    assert queries.get(uow(), me, created["id"])["ends_at"] == created["ends_at"]
    moved = use_cases.update(uow(), me, created["id"], {"starts_at": (START + timedelta(days=1)).isoformat(),
                                                         "ends_at": (START + timedelta(days=1, hours=2)).isoformat()})
    assert moved["starts_at"].startswith("2026-03-12")


def test_bad_events_are_refused_and_nothing_is_written(uow, person):
    me = person()
    for bad in ({"hours": -1}, {"hours": 24 * 40}, {"title": " "}, {"owner_id": me.user_id}):
        hours = bad.pop("hours", 1)
        with pytest.raises(InvalidInput):
            event(uow, me, hours=hours, **bad)
    assert week(uow, me)["items"] == []


def test_a_deleted_event_is_gone(uow, person):
    me = person()
    created = event(uow, me)
    use_cases.delete(uow(), me, created["id"])
    with pytest.raises(NotFound):
        queries.get(uow(), me, created["id"])
    with pytest.raises(NotFound):
        use_cases.delete(uow(), me, created["id"])


@pytest.mark.parametrize("query", [
    {"from": "2026-03-01T00:00:00+00:00", "to": "2026-06-01T00:00:00+00:00"},
    {"from": "2026-03-02T00:00:00+00:00", "to": "2026-03-01T00:00:00+00:00"},
    {"view": "month", "date": "9999-12-31"},
])
def test_ranges_that_are_too_long_inverted_or_past_the_calendar_are_bad_requests(uow, person, query):
    with pytest.raises(BadRequest):
        queries.list_(uow(), person(), query)


def test_a_range_needs_a_view_or_both_ends(uow, person):
    with pytest.raises(BadRequest):
        queries.list_(uow(), person(), {"from": "2026-03-01T00:00:00+00:00"})


def test_the_feed_carries_what_the_caller_sees(uow, person):
    me = person()
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1)
    created = event(uow, me, start=soon, title="季度评审")
    feed = queries.feed(uow(), me)
    assert f"UID:{created['id']}@crm" in feed and "SUMMARY:季度评审" in feed
    assert "季度评审" not in queries.feed(uow(), person())


def test_the_calendar_needs_its_permission(uow, principal_factory):
    with pytest.raises(Forbidden):
        queries.list_(uow(), principal_factory(permissions=set()), {"view": "day"})


def test_the_default_day_is_the_beijing_one(uow, person, clock):
    me = person()
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # 1 December, 07:30 in Beijing
    early = event(uow, me, start=datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc))  # 00:30 Beijing
    event(uow, me, start=datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc))  # 23:00 on 30 November
    today = queries.list_(uow(), me, {"view": "day"})
    assert today["from"] == "2026-12-01T00:00:00+08:00" and [e["id"] for e in today["items"]] == [early["id"]]
