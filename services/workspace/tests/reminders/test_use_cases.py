"""The reminder centre through its use cases: personal to-dos, firing on time, reminders from events."""
from datetime import timedelta

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.records import utcnow
from crm_workspace.notifications import queries as notifications
from crm_workspace.reminders import queries, use_cases

USE = {"reminders.use", "notifications.read"}


@pytest.fixture
def me(principal_factory):
    return principal_factory(permissions=USE, scope="own")


def remind(uow, who, in_minutes=10, **extra):
    return use_cases.create(uow(), who, {"title": "回访天马", "due_at": (utcnow() + timedelta(minutes=in_minutes))
                                         .isoformat(), **extra})


def statuses(uow, who, **query):
    return [r["status"] for r in queries.list_(uow(), who, query)["items"]]


def test_a_reminder_is_its_owners_alone_even_for_scope_all(uow, me, principal_factory):
    created = remind(uow, me)
    assert created["status"] == "pending" and created["source"] == "manual"
    boss = principal_factory(permissions=USE, scope="all")
    assert queries.list_(uow(), boss, {})["items"] == []
    with pytest.raises(NotFound):
        use_cases.complete(uow(), boss, created["id"], {})


def test_completing_is_done_and_stays_done(uow, me):
    created = remind(uow, me)
    assert use_cases.complete(uow(), me, created["id"], {})["status"] == "done"
    assert use_cases.complete(uow(), me, created["id"], {})["status"] == "done"
    with pytest.raises(InvalidInput):
        use_cases.complete(uow(), me, created["id"], {"status": "pending"})


def test_a_due_reminder_fires_once_into_its_owners_inbox(uow, me):
    created = remind(uow, me, notes="带上合同")
    assert use_cases.fire_due(uow(), utcnow()) == 0
    later = utcnow() + timedelta(hours=1)
    assert use_cases.fire_due(uow(), later) == 1
    assert use_cases.fire_due(uow(), later) == 0
    [fired] = queries.list_(uow(), me, {"status": "fired"})["items"]
    assert fired["id"] == created["id"] and fired["fired_at"]
    [told] = notifications.list_(uow(), me, {})["items"]
    assert told["kind"] == "reminder_manual" and told["body"] == "带上合同"
    assert told["link"] == f"/api/v1/reminders/{created['id']}"


def test_a_completed_reminder_does_not_fire(uow, me):
    use_cases.complete(uow(), me, remind(uow, me)["id"], {})
    assert use_cases.fire_due(uow(), utcnow() + timedelta(hours=1)) == 0


def test_the_same_fact_reminds_only_once(uow, me):
    columns = {"owner_id": me.user_id, "department_path": me.department_path, "branch": me.branch,
               "source": "contract_expiring", "source_key": "contract_expiring:c1:2026-06-30:30",
               "title": "合同到期", "due_at": utcnow()}
    with uow() as unit:
        assert use_cases.add_from_event(unit, columns) is True
    with uow() as unit:
        assert use_cases.add_from_event(unit, dict(columns, title="again")) is False
    assert [r["title"] for r in queries.list_(uow(), me, {})["items"]] == ["合同到期"]


def test_lists_filter_by_status_and_due_time(uow, me):
    soon, later = remind(uow, me, 5), remind(uow, me, 120)
    use_cases.complete(uow(), me, later["id"], {})
    assert statuses(uow, me) == ["pending", "done"]  # by due time
    due = queries.list_(uow(), me, {"due_before": (utcnow() + timedelta(minutes=60)).isoformat()})["items"]
    assert [r["id"] for r in due] == [soon["id"]]
    assert statuses(uow, me, status="done") == ["done"]


def test_a_reminder_in_the_past_or_without_a_title_is_refused(uow, me):
    with pytest.raises(InvalidInput):
        remind(uow, me, -1)
    with pytest.raises(InvalidInput):
        remind(uow, me, title=" ")
    assert statuses(uow, me) == []


def test_reminders_need_their_permission(uow, principal_factory):
    with pytest.raises(Forbidden):
        remind(uow, principal_factory(permissions={"notifications.read"}))
