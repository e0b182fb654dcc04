"""Several pools over HTTP (CUS-15, issue 17): a department's pool with its people and rules, what
every customer says of its fall back, claims against the pool's checks, the lock, an opportunity
from sales holding a customer, and the nightly run once per branch day at the services' clock.

The module's pool serves a department of its own, so the other modules' customers (Sales East and
West) keep the default pool and its rules."""
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLE = ["customers.read", "customers.write", "opportunities.read", "opportunities.write"]


@pytest.fixture(scope="module")
def team(admin, helpers):
    """A department with two reps and a pool head who may only assign from the pool, and its pool."""
    tag = uuid.uuid4().hex[:6]
    root = admin.get("/me").json()["department"]["id"]
    department = admin.post("/departments", json={"name": f"公海组 {tag}", "parent_id": root}).json()
    role = admin.post("/roles", json={"name": f"公海组 {tag}", "data_scope": "own", "permissions": ROLE}).json()
    people = {}
    for who in ("one", "two", "head"):
        code = f"pl_{who}_{tag}"
        made = admin.post("/users", json={"code": code, "name": who, "password": f"{code}-password",
                                          "department_id": department["id"], "role_ids": [role["id"]]})
        assert made.status_code == 201, made.text
        people[who] = (made.json()["id"], helpers.login(code, f"{code}-password"))
    body = {"name": f"公海组 {tag}", "department_path": department["path"], "daily_claim_quota": 1,
            "reclaim_block_days": 2, "exempt_open_opportunity": True,
            "rules": [{"value_level": "*", "days_without_followup": 5, "notice_days": 1}]}
    pool = admin.post("/customer-pools", json=body)
    assert pool.status_code == 201, pool.text
    return {"pool": pool.json(), "people": people, "department": department}


def test_an_admin_sets_up_a_pool_and_its_people_within_the_rules(admin, rep_a, team):
    pool, people = team["pool"], team["people"]
    assert rep_a.post("/customer-pools", json={"name": "我的", "department_path": "/x/"}).status_code == 403
    bad = admin.post("/customer-pools", json={"name": "坏", "department_path": "no-slashes",
                                               "rules": [{"value_level": "*", "notice_days": 1}]})
    assert bad.status_code == 422 and {"department_path", "rules"} <= set(bad.json()["errors"])
    twice = admin.post("/customer-pools", json={"name": "又一个", "department_path": team["department"]["path"]})
    assert twice.status_code == 409
    unknown = admin.put(f"/customer-pools/{pool['id']}/people", json={"members": [str(uuid.uuid4())]})
    assert unknown.status_code == 422 and "members.0" in unknown.json()["errors"]
    set_up = admin.put(f"/customer-pools/{pool['id']}/people", json={
        "members": [people["one"][0], people["two"][0]], "admins": [people["head"][0]]})
    assert set_up.status_code == 200, set_up.text
    assert (set_up.json()["members"], set_up.json()["admins"]) == (
        sorted([people["one"][0], people["two"][0]]), [people["head"][0]])
    mine = {p["id"]: p for p in people["one"][1].get("/customer-pools").json()["items"]}
    assert mine[pool["id"]]["my_role"] == "member" and mine[pool["id"]]["may_claim"] is True
    assert pool["id"] not in {p["id"] for p in rep_a.get("/customer-pools").json()["items"]}
    assert rep_a.get("/customer-pool", params={"pool_id": pool["id"]}).status_code == 404
    patched = admin.patch(f"/customer-pools/{pool['id']}", json={"owned_limit": 50, "locked_limit": 1})
    assert patched.status_code == 200 and patched.json()["locked_limit"] == 1


def test_customers_say_when_and_why_they_fall_back_and_claims_pass_the_pools_checks(
        admin, rep_b, org, team):
    pool, people = team["pool"], team["people"]
    one, two, head = people["one"][1], people["two"][1], people["head"][1]
    admin.put(f"/customer-pools/{pool['id']}/people", json={
        "members": [people["one"][0], people["two"][0]], "admins": [people["head"][0]]})
    assert admin.patch(f"/customer-pools/{pool['id']}", json={"locked_limit": 1}).status_code == 200
    made = [one.post("/customers", json={"name": f"公海组客户{uuid.uuid4().hex[:6]}"}).json() for _ in range(3)]
    detail = one.get(f"/customers/{made[0]['id']}").json()
    assert (detail["pool_id"], detail["recycle_days_left"], detail["recycle_reason"]) == (pool["id"], 5, "no_followup")
    listed = {c["id"]: c for c in one.get("/customers", params={"limit": 200}).json()["items"]}
    assert (listed[made[0]["id"]]["recycle_days_left"], listed[made[0]["id"]]["recycle_reason"]) == (5, "no_followup")

    locked = one.post(f"/customers/{made[2]['id']}/lock")
    assert locked.status_code == 200 and (locked.json()["recycle_days_left"], locked.json()["recycle_reason"]) == (
        None, "locked")
    assert one.post(f"/customers/{made[1]['id']}/lock").status_code == 409  # the pool's limit of one
    assert one.post(f"/customers/{made[2]['id']}/release").status_code == 409  # unlock first

    for c in made[:2]:
        assert one.post(f"/customers/{c['id']}/release").status_code == 200
    pooled = {c["id"] for c in two.get("/customer-pool", params={"pool_id": pool["id"]}).json()["items"]}
    assert {made[0]["id"], made[1]["id"]} <= pooled
    back = one.post(f"/customers/{made[0]['id']}/claim")
    assert back.status_code == 409 and "claim" in back.json()["errors"]  # the former owner waits two days
    assert rep_b.post(f"/customers/{made[0]['id']}/claim").status_code == 403  # not a member
    assert two.post(f"/customers/{made[0]['id']}/claim").status_code == 200
    over = two.post(f"/customers/{made[1]['id']}/claim")
    assert over.status_code == 409 and "limit" in over.text  # one claim a day
    outsider = head.post(f"/customers/{made[1]['id']}/assign", json={"owner_id": org["users"]["rep_b"]["id"]})
    assert outsider.status_code == 422  # only to the pool's people
    assigned = head.post(f"/customers/{made[1]['id']}/assign", json={"owner_id": people["one"][0]})
    assert assigned.status_code == 200 and assigned.json()["owner_id"] == people["one"][0]
    assert head.post(f"/customers/{made[2]['id']}/assign", json={"owner_id": people["two"][0]}).status_code == 404


def test_an_open_opportunity_from_sales_holds_the_customer(admin, team, helpers):
    one = team["people"]["one"][1]
    customer = one.post("/customers", json={"name": f"商机客户{uuid.uuid4().hex[:6]}"}).json()
    stage = admin.post("/opportunity-stages", json={"name": f"公海 {uuid.uuid4().hex[:6]}", "position": 16,
                                                     "probability": "20", "outcome": "open"}).json()
    opened = one.post("/opportunities", json={"customer_id": customer["id"], "title": "扩容", "stage_id": stage["id"],
                                              "expected_amount": "1000.00", "expected_close_date": "2030-01-01"})
    assert opened.status_code == 201, opened.text
    assert helpers.eventually(lambda: one.get(f"/customers/{customer['id']}").json()["recycle_reason"]
                              == "open_opportunity")
    assert one.get(f"/customers/{customer['id']}").json()["recycle_days_left"] is None
    assert one.post(f"/opportunities/{opened.json()['id']}/lose", json={"reason": "预算取消"}).status_code == 200
    assert helpers.eventually(lambda: one.get(f"/customers/{customer['id']}").json()["recycle_reason"] == "no_followup")


def test_the_nightly_run_is_once_per_branch_day_at_the_services_clock(admin, team, clock, helpers, events):
    one = team["people"]["one"][1]
    customer = one.post("/customers", json={"name": f"夜间回收{uuid.uuid4().hex[:6]}"}).json()
    due = datetime.fromisoformat(one.get(f"/customers/{customer['id']}").json()["recycle_due_at"])
    night = due + timedelta(minutes=5)  # 00:05 in Shanghai on the due day
    clock.set(night)
    first = admin.post("/customer-pool/nightly-run", json={})
    assert first.status_code == 200, first.text
    assert first.json()["day"] == night.astimezone(SHANGHAI).date().isoformat()
    # the minute timer may have run the day before this call did: either way, once
    assert helpers.eventually(lambda: admin.get(f"/customers/{customer['id']}").json()["in_pool"])
    clock.set(night + timedelta(hours=20))  # 20:05, the same Shanghai day
    again = admin.post("/customer-pool/nightly-run", json={}).json()
    assert (again["ran"], again["recycled"]) == (False, 0)
    history = admin.get(f"/customers/{customer['id']}/history").json()["items"]
    assert [h["kind"] for h in history].count("recycled") == 1
    assert history[0]["data"]["because"] == "no_followup"
    assert admin.get(f"/customers/{customer['id']}").json()["pool_id"] == team["pool"]["id"]
    assert helpers.eventually(events("customers.owner_changed",
                                     lambda d: d["customer_id"] == customer["id"] and d["reason"] == "recycled"))
    assert admin.post("/customer-pool/nightly-run", json={"day": "2030-01-01"}).status_code == 422
