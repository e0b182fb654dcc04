"""Several pools (CUS-15) through their use cases: pools and their people, recycle rules per pool
and value level, exemptions and the lock, claim quota, re-claim block, owned and locked limits,
days left and why, the nightly run once per branch day."""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_customers.customers import queries as customer_queries
from crm_customers.customers import use_cases as customers
from crm_customers.pool import queries
from crm_customers.profile import queries as profile
from crm_customers.pool.use_cases import facts, jobs, ownership, pools

EAST = "/d1/"  # the rep's department (conftest)
WEST = "/d2/"  # the other rep's
START = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)  # 10:00 in Shanghai


@pytest.fixture(autouse=True)
def at_start(clock):
    clock.set(START)
    return clock


@pytest.fixture
def east_pool(uow, admin):
    """A pool for the rep's department: its customers belong to it and fall back into it."""
    return pools.create(uow(), admin, {"name": "华东公海", "department_path": EAST, "rules": [
        {"value_level": "*", "days_without_followup": 10, "notice_days": 2}]})


def _detail(uow, who, customer_id):
    return profile.get(uow(), who, customer_id)


def _release(uow, who, customer):
    return ownership.release(uow(), who, customer["id"], {})


def test_a_department_pool_takes_its_customers_and_its_rules_give_days_left_and_why(
        uow, rep, other_rep, east_pool, new_customer):
    mine, theirs = new_customer(), new_customer("北京远景科技有限公司", who=other_rep)
    detail = _detail(uow, rep, mine["id"])
    assert (detail["pool_id"], detail["recycle_days_left"], detail["recycle_reason"]) == (east_pool["id"], 10, "no_followup")
    other = _detail(uow, other_rep, theirs["id"])
    assert other["pool_id"] != east_pool["id"] and other["recycle_days_left"] is None  # the default pool has no rule
    listed = customer_queries.list_(uow(), rep, {})["items"]
    assert [(c["id"], c["recycle_days_left"], c["recycle_reason"]) for c in listed] == [(mine["id"], 10, "no_followup")]


def test_rules_per_value_level_replace_the_pools_rule_and_the_first_clock_wins(uow, rep, admin, east_pool, new_customer):
    pools.update(uow(), admin, east_pool["id"], {"rules": [
        {"value_level": "*", "days_without_followup": 10},
        {"value_level": "A", "days_without_followup": 60, "days_without_deal": 30},
        {"value_level": "B", "days_without_opportunity": 5}]})
    plain, a, b = new_customer(), new_customer("甲级客户", value_level="A"), new_customer("乙级客户", value_level="B")
    answer = {c["id"]: (c["recycle_days_left"], c["recycle_reason"])
              for c in customer_queries.list_(uow(), rep, {"limit": 10})["items"]}
    assert answer == {plain["id"]: (10, "no_followup"), a["id"]: (30, "no_deal"), b["id"]: (5, "no_opportunity")}
    with pytest.raises(InvalidInput):  # a rule without any clock
        pools.update(uow(), admin, east_pool["id"], {"rules": [{"value_level": "C", "notice_days": 1}]})


def test_a_new_opportunity_restarts_its_clock_and_an_open_one_or_a_deal_exempts_when_the_pool_says(
        uow, rep, admin, east_pool, new_customer, at_start):
    pools.update(uow(), admin, east_pool["id"], {"rules": [{"value_level": "*", "days_without_opportunity": 5}]})
    c = new_customer()
    at_start.set(START + timedelta(days=3))
    opportunity = {"opportunity_id": str(uuid.uuid4()), "customer_id": c["id"]}
    with uow() as unit:
        facts.opportunity_opened(unit.session, {**opportunity, "opened_at": START + timedelta(days=3)})
    assert _detail(uow, rep, c["id"])["recycle_days_left"] == 5  # counted from the new opportunity
    pools.update(uow(), admin, east_pool["id"], {"exempt_open_opportunity": True})
    assert (_detail(uow, rep, c["id"])["recycle_days_left"], _detail(uow, rep, c["id"])["recycle_reason"]) == (
        None, "open_opportunity")
    with uow() as unit:
        facts.opportunity_closed(unit.session, {**opportunity, "outcome": "won", "closed_at": START + timedelta(days=4)})
    assert _detail(uow, rep, c["id"])["recycle_reason"] == "no_opportunity"  # closed: no longer exempt
    pools.update(uow(), admin, east_pool["id"], {"exempt_won": True})
    assert (_detail(uow, rep, c["id"])["recycle_days_left"], _detail(uow, rep, c["id"])["recycle_reason"]) == (None, "won")


def test_sales_opportunity_changed_opens_and_closes_the_pools_facts(uow, rep, admin, east_pool, new_customer):
    """The one event sales sends for an opportunity's change (the report pack's) is the pools' too:
    its creation restarts the "no new opportunity" clock, its win is a deal."""
    from crm_common.events.catalog import build_envelope, parse_envelope
    pools.update(uow(), admin, east_pool["id"], {"rules": [{"value_level": "*", "days_without_opportunity": 5,
                                                             "days_without_deal": 10}]})
    c = new_customer()
    facts_of = {"stage_id": str(uuid.uuid4()), "status": "open", "expected_amount": "100.00", "currency": "CNY",
                "probability": "10", "owner_id": rep.user_id, "department_path": EAST, "branch": "HQ"}
    event = {"opportunity_id": str(uuid.uuid4()), "customer_id": c["id"], "created_at": START + timedelta(days=3),
             "changed_at": START + timedelta(days=3), "before": None, "after": facts_of,
             "owner_id": rep.user_id, "department_path": EAST, "branch": "HQ"}

    def send(data):
        _, loaded = parse_envelope(json.loads(json.dumps(build_envelope("sales.opportunity_changed", data, "HQ", None))))
        with uow() as unit:
            facts.opportunity_changed(unit.session, loaded)
    assert (_detail(uow, rep, c["id"])["recycle_days_left"], _detail(uow, rep, c["id"])["recycle_reason"]) == (
        5, "no_opportunity")  # from the day the rep got it
    send(event)
    assert (_detail(uow, rep, c["id"])["recycle_days_left"], _detail(uow, rep, c["id"])["recycle_reason"]) == (
        8, "no_opportunity")  # from the new opportunity of day 3
    send({**event, "changed_at": START + timedelta(days=4), "before": facts_of,
          "after": {**facts_of, "probability": "50"}})  # a move within open: no fact
    send({**event, "changed_at": START + timedelta(days=6), "before": facts_of,
          "after": {**facts_of, "status": "won", "probability": "100"}})
    pools.update(uow(), admin, east_pool["id"], {"exempt_won": True})
    assert (_detail(uow, rep, c["id"])["recycle_days_left"], _detail(uow, rep, c["id"])["recycle_reason"]) == (
        None, "won")
    with uow() as unit:
        row = unit.session.execute(text("SELECT opened_at, closed_at, outcome FROM pool_opportunities"
                                        " WHERE opportunity_id = :id"), {"id": event["opportunity_id"]}).one()
    assert tuple(row) == (START + timedelta(days=3), START + timedelta(days=6), "won")
    send({**event, "opportunity_id": str(uuid.uuid4()), "customer_id": None})  # an older message: nothing
    with uow() as unit:
        assert unit.session.execute(text("SELECT count(*) FROM pool_opportunities")).scalar() == 1


def test_a_closing_that_arrives_before_its_opening_still_adds_up(uow, rep, admin, east_pool, new_customer):
    pools.update(uow(), admin, east_pool["id"], {"exempt_open_opportunity": True})
    c = new_customer()
    opportunity = {"opportunity_id": str(uuid.uuid4()), "customer_id": c["id"]}
    with uow() as unit:
        facts.opportunity_closed(unit.session, {**opportunity, "outcome": "lost", "closed_at": START})
        facts.opportunity_opened(unit.session, {**opportunity, "opened_at": START - timedelta(days=1)})
    assert _detail(uow, rep, c["id"])["recycle_reason"] == "no_followup"  # not open: lost already


def test_a_locked_customer_is_never_recycled_and_the_lock_has_a_limit(uow, rep, admin, east_pool, new_customer):
    pools.update(uow(), admin, east_pool["id"], {"locked_limit": 1})
    first, second = new_customer(), new_customer("第二家客户")
    locked = ownership.set_lock(uow(), rep, first["id"], {}, True)
    assert (locked["locked"], locked["recycle_days_left"], locked["recycle_reason"]) == (True, None, "locked")
    with pytest.raises(Conflict) as refused:
        ownership.set_lock(uow(), rep, second["id"], {}, True)
    assert "locked" in refused.value.errors
    with pytest.raises(Conflict):
        ownership.release(uow(), rep, first["id"], {})  # unlock first
    ran = jobs.run(uow, START + timedelta(days=30))
    assert ran["recycled"] == 1  # the second one only
    assert _detail(uow, rep, first["id"])["in_pool"] is False
    assert ownership.set_lock(uow(), rep, first["id"], {}, False)["recycle_reason"] == "no_followup"


def test_members_claim_from_their_pool_and_others_do_not(uow, rep, other_rep, admin, east_pool, new_customer,
                                                        principal_factory, user_of):
    c = new_customer()
    _release(uow, rep, c)
    assert _detail(uow, rep, c["id"])["pool_id"] == east_pool["id"]
    pools.set_people(uow(), admin, east_pool["id"], {"members": [user_of(other_rep)], "admins": []})
    stranger = principal_factory(permissions={"customers.read", "customers.write"}, scope="own", department_path=EAST)
    with pytest.raises(Forbidden):
        ownership.claim(uow(), stranger, c["id"], {})
    assert queries.list_pool(uow(), stranger, {})["items"] == []  # not a pool they claim from
    with pytest.raises(NotFound):
        queries.list_pool(uow(), stranger, {"pool_id": east_pool["id"]})
    assert [p["id"] for p in queries.list_pools(uow(), other_rep)["items"]][-1] == east_pool["id"]
    assert [x["id"] for x in queries.list_pool(uow(), other_rep, {"pool_id": east_pool["id"]})["items"]] == [c["id"]]
    assert ownership.claim(uow(), other_rep, c["id"], {})["owner_id"] == other_rep.user_id


def test_a_pool_admin_assigns_from_the_pool_to_its_people_only(uow, rep, other_rep, admin, east_pool, new_customer,
                                                                principal_factory, user_of):
    head = principal_factory(permissions={"customers.read", "customers.write"}, scope="own", department_path=EAST)
    c = new_customer()
    _release(uow, rep, c)
    with pytest.raises(Forbidden):
        ownership.assign(uow(), head, c["id"], {"owner": user_of(other_rep)})
    pools.set_people(uow(), admin, east_pool["id"], {"members": [user_of(rep)], "admins": [user_of(head)]})
    with pytest.raises(InvalidInput):
        ownership.assign(uow(), head, c["id"], {"owner": user_of(other_rep)})  # not one of the pool's
    assert ownership.assign(uow(), head, c["id"], {"owner": user_of(rep)})["owner_id"] == rep.user_id


def test_the_former_owner_waits_before_claiming_back(uow, rep, admin, east_pool, new_customer, at_start):
    pools.update(uow(), admin, east_pool["id"], {"reclaim_block_days": 3})
    c = new_customer()
    _release(uow, rep, c)
    with pytest.raises(Conflict) as refused:
        ownership.claim(uow(), rep, c["id"], {})
    assert "2026-03-05" in refused.value.errors["claim"][0]
    at_start.set(START + timedelta(days=3))  # the third branch day after
    assert ownership.claim(uow(), rep, c["id"], {})["owner_id"] == rep.user_id


def test_the_daily_quota_counts_the_branch_day(uow, rep, other_rep, admin, east_pool, new_customer, at_start):
    pools.update(uow(), admin, east_pool["id"], {"daily_claim_quota": 1})
    first, second = new_customer(), new_customer("第二家客户")
    for c in (first, second):
        _release(uow, rep, c)
    at_start.set(datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc))  # 23:30 in Shanghai
    ownership.claim(uow(), other_rep, first["id"], {})
    with pytest.raises(Conflict):
        ownership.claim(uow(), other_rep, second["id"], {})
    at_start.set(datetime(2026, 3, 2, 16, 30, tzinfo=timezone.utc))  # 00:30 the next Shanghai day
    assert ownership.claim(uow(), other_rep, second["id"], {})["owner_id"] == other_rep.user_id


def test_nobody_owns_more_than_the_limit_by_claim_or_assignment(uow, rep, other_rep, admin, east_pool, new_customer,
                                                                user_of):
    pools.update(uow(), admin, east_pool["id"], {"owned_limit": 1})
    new_customer("西部已有客户", who=other_rep)
    c = new_customer()
    _release(uow, rep, c)
    with pytest.raises(Conflict) as refused:
        ownership.claim(uow(), other_rep, c["id"], {})
    assert "owner_id" in refused.value.errors
    with pytest.raises(Conflict):
        ownership.assign(uow(), admin, c["id"], {"owner": user_of(other_rep)})
    assert ownership.claim(uow(), rep, c["id"], {})["owner_id"] == rep.user_id  # rep owns none now


def test_the_nightly_run_is_once_per_branch_day_and_recycles_into_the_customers_pool(
        uow, rep, admin, east_pool, new_customer, emitted):
    c = new_customer()
    night = datetime(2026, 3, 11, 16, 1, tzinfo=timezone.utc)  # 00:01 on 12 March in Shanghai: day 10
    first = jobs.nightly(uow, night)
    assert (first["ran"], first["day"].isoformat(), first["recycled"]) == (True, "2026-03-12", 1)
    again = jobs.nightly(uow, night + timedelta(hours=20))  # 20:01, still 12 March in Shanghai
    assert (again["ran"], again["recycled"]) == (False, 0)
    detail = _detail(uow, admin, c["id"])
    assert (detail["in_pool"], detail["pool_id"]) == (True, east_pool["id"])
    history = customer_queries.history(uow(), admin, c["id"], {})["items"]
    assert (history[0]["kind"], history[0]["data"]["because"], history[0]["data"]["previous_owner_id"]) == (
        "recycled", "no_followup", rep.user_id)
    [(_, changed)] = emitted("customers.owner_changed")
    assert (changed["customer_id"], changed["reason"], changed["previous_owner_id"]) == (c["id"], "recycled", rep.user_id)
    assert jobs.nightly(uow, night + timedelta(days=1))["ran"] is True  # the next day runs again


def _month_counts(uow) -> dict:
    with uow() as unit:
        kept = dict(unit.session.execute(text("SELECT CAST(owner_id AS text), count FROM customer_month_counts WHERE count <> 0")).all())
        rebuilt = dict(unit.session.execute(text("SELECT CAST(owner_id AS text), count(*) FROM customers"
                                                 " WHERE deleted_at IS NULL AND NOT in_pool GROUP BY 1")).all())
    assert kept == rebuilt  # what the trigger (or the recycle's one aggregate) kept is what a rebuild says
    return kept


def test_the_recycle_keeps_the_month_counts_in_one_update_and_the_trigger_takes_over_again(
        uow, rep, admin, east_pool, new_customer):
    recycled, kept = new_customer(), new_customer("杭州湾贸易有限公司")
    assert _month_counts(uow) == {rep.user_id: 2}
    with uow() as unit:  # the second one was followed up on day 5: it stays
        unit.session.execute(text("UPDATE customers SET last_activity_at = :at WHERE id = :id"),
                             {"at": START + timedelta(days=5), "id": kept["id"]})
        customers.refresh_due(unit.session, kept["id"])
    assert jobs.nightly(uow, datetime(2026, 3, 11, 16, 1, tzinfo=timezone.utc))["recycled"] == 1
    assert _month_counts(uow) == {rep.user_id: 1}
    ownership.claim(uow(), rep, recycled["id"], {})  # one row's change: the trigger's, as before
    assert _month_counts(uow) == {rep.user_id: 2}


def test_a_run_that_fails_half_way_leaves_nothing_and_the_day_runs_again(
        uow, rep, east_pool, new_customer, emitted, monkeypatch):
    warned, due = new_customer(), new_customer("杭州湾贸易有限公司")
    with uow() as unit:  # one due tonight, one to be warned tonight
        unit.session.execute(text("UPDATE customers SET last_activity_at = :at WHERE id = :id"),
                             {"at": START + timedelta(days=1), "id": warned["id"]})
        customers.refresh_due(unit.session, warned["id"])
    night = datetime(2026, 3, 11, 16, 1, tzinfo=timezone.utc)  # 00:01 on 12 March in Shanghai

    def crash(uow, today):
        raise RuntimeError("the process dies after warning and recycling")
    monkeypatch.setattr(jobs, "_remind", crash)
    with pytest.raises(RuntimeError):
        jobs.nightly(uow, night)
    with uow() as unit:
        left = unit.session.execute(text(
            "SELECT (SELECT count(*) FROM pool_runs), (SELECT count(*) FROM pool_warnings),"
            " (SELECT count(*) FROM customers WHERE in_pool),"
            " (SELECT count(*) FROM customer_history WHERE kind = 'recycled')")).one()
    assert tuple(left) == (0, 0, 0, 0)
    assert emitted("customers.recycle_warning") == [] and emitted("customers.owner_changed") == []
    monkeypatch.undo()
    again = jobs.nightly(uow, night + timedelta(hours=1))  # the same branch day, after the restart
    assert (again["ran"], again["warned"], again["recycled"]) == (True, 1, 1)
    assert [d["customer_id"] for _, d in emitted("customers.recycle_warning")] == [warned["id"]]
    assert [d["customer_id"] for _, d in emitted("customers.owner_changed")] == [due["id"]]
    assert jobs.nightly(uow, night + timedelta(hours=2))["ran"] is False


def test_the_warning_comes_notice_days_before_once(uow, rep, east_pool, new_customer, emitted):
    c = new_customer()
    assert jobs.run(uow, START + timedelta(days=7))["warned"] == 0
    assert jobs.run(uow, START + timedelta(days=8, hours=1))["warned"] == 1
    assert jobs.run(uow, START + timedelta(days=8, hours=2))["warned"] == 0
    [(_, data)] = emitted("customers.recycle_warning")
    assert (data["customer_id"], data["days_left"], data["owner_id"]) == (c["id"], 2, rep.user_id)
    assert datetime.fromisoformat(data["recycle_at"]) == datetime(2026, 3, 11, 16, tzinfo=timezone.utc)


def test_pools_are_an_admins_within_their_scope(uow, rep, admin, principal_factory, east_pool):
    with pytest.raises(Forbidden):
        pools.create(uow(), rep, {"name": "我的公海", "department_path": WEST})
    east_admin = principal_factory(permissions={"customers.read", "customers.admin"}, scope="subtree",
                                   department_path=EAST)
    with pytest.raises(InvalidInput):
        pools.create(uow(), east_admin, {"name": "西部公海", "department_path": WEST})
    with pytest.raises(NotFound):
        pools.update(uow(), east_admin, queries.list_pools(uow(), admin)["items"][0]["id"], {"name": "改名"})
    with pytest.raises(Conflict):  # one pool per department
        pools.create(uow(), admin, {"name": "又一个华东公海", "department_path": EAST})
    for body in ({"name": "x", "department_path": "d1"}, {"name": "x", "department_path": WEST, "owner_id": "y"},
                 {"name": "x", "department_path": WEST, "daily_claim_quota": -1}, {"name": "x"}):
        with pytest.raises(InvalidInput):
            pools.create(uow(), admin, body)
    renamed = pools.update(uow(), east_admin, east_pool["id"], {"name": "华东一区公海"})
    assert renamed["name"] == "华东一区公海"


def test_a_full_refresh_changes_nothing_twice(uow, rep, east_pool, new_customer):
    c = new_customer()
    before = _detail(uow, rep, c["id"])
    with uow() as unit:
        customers.refresh_due(unit.session)
        customers.refresh_due(unit.session)
    after = _detail(uow, rep, c["id"])
    assert (after["recycle_due_at"], after["recycle_reason"]) == (before["recycle_due_at"], before["recycle_reason"])


def test_the_import_plans_a_new_rows_pool_and_date_as_the_refresh_computes_them(uow, rep, admin, east_pool, new_customer):
    from crm_customers.exchange.use_cases import _recycle_plan
    pools.update(uow(), admin, east_pool["id"], {"rules": [
        {"value_level": "*", "days_without_followup": 10}, {"value_level": "B", "days_without_opportunity": 5,
                                                            "days_without_deal": 5}]})
    for level in (None, "B", "C"):
        made = _detail(uow, rep, new_customer(f"导入对照{level}", value_level=level)["id"])
        with uow() as unit:
            planned = _recycle_plan(unit.session, START)(EAST, level)
        assert (planned["pool_id"], planned["recycle_due_at"].isoformat(), planned["recycle_reason"]) == (
            made["pool_id"], made["recycle_due_at"], made["recycle_reason"])
