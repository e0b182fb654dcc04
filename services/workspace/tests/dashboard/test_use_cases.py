"""The home dashboard: each section only with its permission, every count scoped and capped."""
from datetime import timedelta

import pytest

from crm_common.records import utcnow
from crm_workspace.announcements import use_cases as announcements
from crm_workspace.calendar import use_cases as calendar
from crm_workspace.calls import use_cases as calls
from crm_workspace.dashboard import queries
from crm_workspace.notifications import use_cases as notifications
from crm_workspace.reminders import use_cases as reminders

EVERYTHING = {"notifications.read", "reminders.use", "announcements.read", "announcements.write", "calls.read",
              "calls.write", "calendar.use"}


@pytest.fixture
def me(principal_factory):
    return principal_factory(permissions=EVERYTHING, scope="own")


def test_without_permissions_there_are_no_sections(uow, principal_factory):
    assert queries.summary(uow(), principal_factory(permissions=set())) == {"counts": {}, "count_cap": 100}


def test_an_empty_desk_has_every_section_empty(uow, me):
    summary = queries.summary(uow(), me)
    assert summary["counts"] == {"unread_notifications": 0, "due_todos": 0, "pending_calls": 0,
                                 "open_work_orders": 0}
    assert summary["notifications"] == summary["todos"] == summary["announcements"] == []
    assert summary["today_events"] == []


def test_the_desk_shows_what_is_waiting_for_me(uow, me, principal_factory, clock):
    from datetime import datetime, timezone
    clock.set(datetime(2026, 12, 1, 2, tzinfo=timezone.utc))  # 10:00 in Beijing: 回访 is due today
    now = utcnow()
    with uow() as unit:
        notifications.add(unit, {"kind": "k", "title": "待审批", "body": "b", "recipient_user_id": me.user_id})
    reminders.create(uow(), me, {"title": "回访", "due_at": (now + timedelta(hours=2)).isoformat()})
    reminders.create(uow(), me, {"title": "下月", "due_at": (now + timedelta(days=30)).isoformat()})
    announcements.create(uow(), me, {"title": "年会", "body": "周五"})
    calls.create_call(uow(), me, {"phone": "13912345678", "summary": "咨询"}, lambda phone: None)
    calls.create_call(uow(), principal_factory(permissions=EVERYTHING, scope="own"),
                      {"phone": "13912345678", "summary": "别人的"}, lambda phone: None)
    calendar.create(uow(), me, {"title": "例会", "starts_at": now.isoformat(),
                                "ends_at": (now + timedelta(minutes=30)).isoformat()})
    summary = queries.summary(uow(), me)
    assert summary["counts"] == {"unread_notifications": 1, "due_todos": 1, "pending_calls": 1,
                                 "open_work_orders": 0}
    assert [n["title"] for n in summary["notifications"]] == ["待审批"]
    assert [t["title"] for t in summary["todos"]] == ["回访"]
    assert [(a["title"], a["read"]) for a in summary["announcements"]] == [("年会", False)]
    assert [e["title"] for e in summary["today_events"]] == ["例会"]


def test_counts_stop_at_the_cap(uow, me, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    with uow() as unit:
        for i in range(5):
            notifications.add(unit, {"kind": "k", "title": f"n{i}", "body": "b", "recipient_user_id": me.user_id})
    summary = queries.summary(uow(), me)
    assert summary["counts"]["unread_notifications"] == 3 and summary["count_cap"] == 3
    assert len(summary["notifications"]) == queries.SECTION_SIZE


def test_todays_events_are_the_beijing_days(uow, me, clock):
    from datetime import datetime, timezone
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # 1 December, 07:30 in Beijing
    for title, start in (("昨晚", datetime(2026, 11, 30, 14, tzinfo=timezone.utc)),  # 22:00 on 30 November
                         ("今晚", datetime(2026, 12, 1, 12, tzinfo=timezone.utc))):  # 20:00 on 1 December
        calendar.create(uow(), me, {"title": title, "starts_at": start.isoformat(),
                                    "ends_at": (start + timedelta(minutes=30)).isoformat()})
    assert [e["title"] for e in queries.summary(uow(), me)["today_events"]] == ["今晚"]


def test_todos_due_are_those_of_the_beijing_today(uow, me, clock):
    from datetime import datetime, timezone
    clock.set(datetime(2026, 11, 28, 2, tzinfo=timezone.utc))
    reminders.create(uow(), me, {"title": "过期", "due_at": datetime(2026, 11, 29, 2, tzinfo=timezone.utc).isoformat()})
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # 1 December, 07:30 in Beijing
    for title, due in (("早上", datetime(2026, 12, 1, 1, tzinfo=timezone.utc)),  # 09:00 on 1 December
                       ("今晚", datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc)),  # 23:30 on 1 December
                       ("明早", datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc))):  # 00:30 on 2 December
        reminders.create(uow(), me, {"title": title, "due_at": due.isoformat()})
    summary = queries.summary(uow(), me)
    # within 24 h would take 明早 (17 h away) in: it is tomorrow's in Beijing
    assert [t["title"] for t in summary["todos"]] == ["过期", "早上", "今晚"]
    assert summary["counts"]["due_todos"] == 3
