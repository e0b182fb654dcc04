"""Ownership, the public pool, its jobs and extension requests through their use cases."""
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_common.principal import SYSTEM_USER_ID
from crm_customers.contacts import use_cases as contacts
from crm_customers.customers import queries as customer_queries
from crm_customers.pool import queries
from crm_customers.pool.use_cases import extensions, jobs, ownership


@pytest.fixture
def manager(principal_factory):
    """A department manager who assigns within their branch."""
    return principal_factory(permissions={"customers.read", "customers.write", "customers.assign"}, scope="branch")


def test_a_released_customer_sits_in_the_branch_pool_until_claimed(uow, rep, other_rep, customer, emitted):
    released = ownership.release(uow(), rep, customer["id"], {})
    assert (released["in_pool"], released["owner_id"]) == (True, SYSTEM_USER_ID)
    assert [c["id"] for c in queries.list_pool(uow(), other_rep, {})["items"]] == [customer["id"]]
    claimed = ownership.claim(uow(), other_rep, customer["id"], {})
    assert (claimed["owner_id"], claimed["department_path"], claimed["in_pool"]) == (other_rep.user_id, "/d2/", False)
    assert queries.list_pool(uow(), rep, {})["items"] == []
    reasons = [data["reason"] for _, data in emitted("customers.owner_changed")]
    assert reasons == ["released", "claimed"]


def test_the_pool_refuses_what_does_not_fit(uow, rep, customer):
    with pytest.raises(Conflict):
        ownership.claim(uow(), rep, customer["id"], {})  # not in the pool
    ownership.release(uow(), rep, customer["id"], {})
    with pytest.raises(NotFound):
        ownership.release(uow(), rep, customer["id"], {})  # the system user's now: outside an own scope
    with pytest.raises(InvalidInput):
        ownership.claim(uow(), rep, customer["id"], {"owner_id": rep.user_id})


def test_the_daily_claim_limit_is_per_beijing_day(uow, rep, admin, new_customer, clock):
    jobs.update_settings(uow(), admin, {"daily_claim_limit": 1})
    first, second, third = new_customer("甲"), new_customer("乙"), new_customer("丙")
    for c in (first, second, third):
        ownership.release(uow(), rep, c["id"], {})
    clock.set(datetime(2026, 11, 30, 15, 30, tzinfo=timezone.utc))  # 30 November, 23:30 in Beijing
    ownership.claim(uow(), rep, first["id"], {})
    clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc))  # 1 December, 00:30 in Beijing: a new day
    ownership.claim(uow(), rep, second["id"], {})
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # still 1 December in Beijing
    with pytest.raises(Conflict):
        ownership.claim(uow(), rep, third["id"], {})


def test_claims_stop_at_the_daily_limit(uow, rep, admin, new_customer):
    jobs.update_settings(uow(), admin, {"daily_claim_limit": 1})
    first, second = new_customer("甲"), new_customer("乙")
    for c in (first, second):
        ownership.release(uow(), rep, c["id"], {})
    ownership.claim(uow(), rep, first["id"], {})
    with pytest.raises(Conflict) as refused:
        ownership.claim(uow(), rep, second["id"], {})
    assert "claim" in refused.value.errors
    assert [c["id"] for c in queries.list_pool(uow(), rep, {})["items"]] == [second["id"]]


def test_assigning_checks_the_new_owner(uow, manager, rep, principal_factory, user_of, customer):
    elsewhere = principal_factory(branch="BJ")
    for user in (user_of(rep, active=False), user_of(elsewhere)):
        with pytest.raises(InvalidInput):
            ownership.assign(uow(), manager, customer["id"], {"owner": user})
    with pytest.raises(Conflict):
        ownership.assign(uow(), manager, customer["id"], {"owner": user_of(rep)})
    with pytest.raises(Forbidden):
        ownership.assign(uow(), rep, customer["id"], {"owner": user_of(rep)})
    assert customer_queries.list_(uow(), rep, {})["items"][0]["owner_id"] == rep.user_id


def test_a_transfer_moves_the_customer_and_names_the_previous_owner(uow, manager, rep, other_rep, user_of, customer):
    moved = ownership.assign(uow(), manager, customer["id"], {"owner": user_of(other_rep)})
    assert moved["owner_id"] == other_rep.user_id
    row = customer_queries.history(uow(), other_rep, customer["id"], {})["items"][0]
    assert (row["kind"], row["data"]["previous_owner_id"]) == ("transferred", rep.user_id)


def test_transfer_all_moves_every_customer_of_one_user(uow, manager, rep, other_rep, user_of, new_customer):
    for name in ("甲", "乙"):
        new_customer(name)
    body = {"from": user_of(rep), "to": user_of(other_rep)}
    assert ownership.transfer_all(uow(), manager, body) == {"moved": 2}
    assert customer_queries.list_(uow(), rep, {})["items"] == []
    assert len(customer_queries.list_(uow(), other_rep, {})["items"]) == 2
    with pytest.raises(InvalidInput):
        ownership.transfer_all(uow(), manager, {"from": user_of(rep), "to": user_of(rep)})


def test_pool_settings_are_an_admins_and_checked(uow, rep, admin):
    with pytest.raises(Forbidden):
        jobs.update_settings(uow(), rep, {"daily_claim_limit": 5})
    rule = {"value_level": "*", "days_without_followup": 30}
    with pytest.raises(InvalidInput):
        jobs.update_settings(uow(), admin, {"rules": [rule, rule]})
    with pytest.raises(InvalidInput):
        jobs.update_settings(uow(), admin, {"daily_claim_limit": -1})
    saved = jobs.update_settings(uow(), admin, {"rules": [rule]})
    assert saved["rules"] == [{**rule, "notice_days": 3, "protection_days": 0}]
    assert queries.settings(uow(), rep)["daily_claim_limit"] == saved["daily_claim_limit"]


def test_the_jobs_warn_then_recycle_a_customer_nobody_follows_up(uow, rep, admin, customer, emitted):
    jobs.update_settings(uow(), admin, {"rules": [{"value_level": "*", "days_without_followup": 30, "notice_days": 5}]})
    now = datetime.now(timezone.utc)
    warned = jobs.run(uow, now + timedelta(days=26))
    assert (warned["warned"], warned["recycled"]) == (1, 0)
    assert jobs.run(uow, now + timedelta(days=27))["warned"] == 0  # once per due date
    assert jobs.run(uow, now + timedelta(days=31))["recycled"] == 1
    assert [c["id"] for c in queries.list_pool(uow(), rep, {})["items"]] == [customer["id"]]
    assert [name for name, _ in emitted() if name != "customers.owner_changed"] == ["customers.recycle_warning"]


def test_a_birthday_is_reminded_once(uow, rep, customer, emitted):
    soon = datetime.now(timezone.utc).date() + timedelta(days=2)
    contacts.create(uow(), rep, customer["id"], {"name": "王经理", "birthday": soon.replace(year=1980).isoformat()})
    assert jobs.run(uow, datetime.now(timezone.utc))["reminders"] == 1
    assert jobs.run(uow, datetime.now(timezone.utc))["reminders"] == 0
    [(_, data)] = emitted("customers.important_date_upcoming")
    assert (data["kind"], data["owner_id"]) == ("birthday", rep.user_id)


def test_running_the_jobs_now_is_an_admins(uow, rep, admin):
    with pytest.raises(Forbidden):
        jobs.run_now(uow, rep, {})
    assert jobs.run_now(uow, admin, {"now": "2026-12-01T00:00:00+08:00"})["skipped"] is False
    with pytest.raises(InvalidInput):
        jobs.run_now(uow, admin, {"now": "yesterday"})


def test_an_owner_asks_for_an_extension_once_at_a_time(uow, rep, customer, emitted):
    request = extensions.request(uow(), rep, customer["id"], {"days": 30, "reason": "大单在谈"})
    assert request["status"] == "pending"
    with pytest.raises(Conflict):
        extensions.request(uow(), rep, customer["id"], {"days": 10})
    [(_, data)] = emitted("customers.extension_requested")
    assert (data["request_id"], data["days"]) == (request["id"], 30)
    assert [r["id"] for r in queries.list_extensions(uow(), rep, customer["id"], {})["items"]] == [request["id"]]


def test_only_the_owner_asks_and_the_body_is_checked(uow, rep, manager, customer):
    with pytest.raises(Conflict):
        extensions.request(uow(), manager, customer["id"], {"days": 30})
    for body in ({"days": 0}, {"days": 400}, {"days": 30, "status": "approved"}):
        with pytest.raises(InvalidInput):
            extensions.request(uow(), rep, customer["id"], body)
    assert queries.list_extensions(uow(), rep, customer["id"], {})["items"] == []


def test_an_approval_decided_in_sales_extends_the_protection(uow, rep, customer, emitted):
    request = extensions.request(uow(), rep, customer["id"], {"days": 30})
    decider = str(uuid.uuid4())
    with uow() as unit:
        extensions.apply_decision(unit, {"document_id": request["id"], "approval_id": str(uuid.uuid4()),
                                         "outcome": "approved", "decided_by": decider, "comment": "同意"})
    [decided] = queries.list_extensions(uow(), rep, customer["id"], {})["items"]
    assert (decided["status"], decided["decided_by"], decided["comment"]) == ("approved", decider, "同意")
    [(_, data)] = emitted("customers.extension_decided")
    assert data["approved"] is True and data["protected_until"]


def test_a_second_decision_for_a_decided_request_changes_nothing(uow, rep, customer, emitted):
    request = extensions.request(uow(), rep, customer["id"], {"days": 30})
    for outcome in ("approved", "approved", "rejected"):
        with uow() as unit:
            extensions.apply_decision(unit, {"document_id": request["id"], "approval_id": str(uuid.uuid4()),
                                             "outcome": outcome, "decided_by": str(uuid.uuid4()), "comment": None})
    [decided] = queries.list_extensions(uow(), rep, customer["id"], {})["items"]
    assert decided["status"] == "approved"
    assert len(emitted("customers.extension_decided")) == 1  # protection extended once


def test_a_decision_for_a_request_that_is_gone_changes_nothing(uow, emitted):
    with uow() as unit:
        extensions.apply_decision(unit, {"document_id": str(uuid.uuid4()), "approval_id": str(uuid.uuid4()),
                                         "outcome": "approved", "decided_by": str(uuid.uuid4()), "comment": None})
    assert emitted() == []


def test_a_rule_change_recomputes_every_due_date(uow, rep, admin, new_customer):
    for name in ("甲", "乙"):
        new_customer(name)
    assert {c["recycle_due_at"] for c in customer_queries.list_(uow(), rep, {})["items"]} == {None}
    jobs.update_settings(uow(), admin, {"rules": [{"value_level": "*", "days_without_followup": 10}]})
    assert None not in {c["recycle_due_at"] for c in customer_queries.list_(uow(), rep, {})["items"]}


def test_days_without_follow_up_and_protection_are_beijing_days(uow, rep, admin, new_customer, clock):
    jobs.update_settings(uow(), admin, {"rules": [
        {"value_level": "*", "days_without_followup": 10, "notice_days": 1, "protection_days": 3}]})
    customer = new_customer("深夜认领")
    ownership.release(uow(), rep, customer["id"], {})
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # 1 December, 07:30 in Beijing
    ownership.claim(uow(), rep, customer["id"], {})
    [claimed] = customer_queries.list_(uow(), rep, {})["items"]
    # protected through 3 December, back to the pool when 11 December begins, both in Beijing
    assert datetime.fromisoformat(claimed["protected_until"]) == datetime(2026, 12, 3, 16, tzinfo=timezone.utc)
    assert datetime.fromisoformat(claimed["recycle_due_at"]) == datetime(2026, 12, 10, 16, tzinfo=timezone.utc)


def test_assigning_from_the_pool_is_an_assignment_not_a_transfer(uow, manager, rep, other_rep, user_of, customer):
    ownership.release(uow(), rep, customer["id"], {})
    assigned = ownership.assign(uow(), manager, customer["id"], {"owner": user_of(other_rep)})
    assert (assigned["owner_id"], assigned["in_pool"]) == (other_rep.user_id, False)
    assert customer_queries.history(uow(), other_rep, customer["id"], {})["items"][0]["kind"] == "assigned"


def test_another_branchs_pool_is_out_of_reach(uow, rep, principal_factory, customer):
    ownership.release(uow(), rep, customer["id"], {})
    beijing = principal_factory(permissions=rep.permissions, scope="own", branch="BJ")
    assert queries.list_pool(uow(), beijing, {})["items"] == []
    with pytest.raises(NotFound):
        ownership.claim(uow(), beijing, customer["id"], {})


def test_the_pool_list_takes_the_customer_filters(uow, rep, new_customer):
    for name, city in (("甲", "上海"), ("乙", "北京")):
        ownership.release(uow(), rep, new_customer(name, city=city)["id"], {})
    assert [c["name"] for c in queries.list_pool(uow(), rep, {"city": "北京"})["items"]] == ["乙"]


def test_a_run_asked_for_by_hand_waits_for_the_timers_moment_with_the_lock(uow, admin, service_db):
    with service_db.connect() as timer:  # another connection: the minute timer's ask, holding the lock
        timer.execute(text("SELECT pg_advisory_lock(:k)"), {"k": jobs.LOCK_KEY})
        release = threading.Timer(0.5, lambda: timer.execute(text("SELECT pg_advisory_unlock(:k)"),
                                                             {"k": jobs.LOCK_KEY}))
        assert jobs.nightly(uow, datetime(2026, 12, 1, tzinfo=timezone.utc))["ran"] is False  # the timer's ask skips
        release.start()
        try:
            assert jobs.run_now(uow, admin, {"now": "2026-12-01T00:00:00+08:00"})["skipped"] is False
        finally:
            release.join()
