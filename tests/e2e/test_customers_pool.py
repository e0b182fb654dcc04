"""Ownership and pool, extension requests, scheduled recycling and reminders, recycle bin and
after-sales over HTTP (CUS-07, CUS-08)."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e




@pytest.fixture(scope="module")
def approver(admin, org, helpers):
    role = admin.post("/roles", json={"name": "Pool manager", "data_scope": "department", "permissions": [
        "customers.read", "customers.write", "customers.assign", "customers.approve_extension"]}).json()
    for code, dept in (("pm_east", "Sales East"), ("pm_west", "Sales West")):
        response = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                              "department_id": org["departments"][dept]["id"],
                                              "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
    return helpers.login("pm_east", "pm_east-password"), helpers.login("pm_west", "pm_west-password")


def test_release_claim_daily_limit_and_history(admin, rep_a, rep_b, events, helpers):
    assert admin.put("/customer-pool/settings", json={"daily_claim_limit": 2}).status_code == 200
    names = [f"公海客户{uuid.uuid4().hex[:6]}" for _ in range(3)]
    made = [rep_a.post("/customers", json={"name": n}).json() for n in names]
    for c in made:
        released = rep_a.post(f"/customers/{c['id']}/release")
        assert released.status_code == 200 and released.json()["in_pool"] is True
    assert rep_a.post(f"/customers/{made[0]['id']}/release").status_code == 404  # no longer rep_a's
    pool_ids = {c["id"] for c in rep_b.get("/customer-pool", params={"limit": 200}).json()["items"]}
    assert {c["id"] for c in made} <= pool_ids
    assert rep_b.get(f"/customers/{made[0]['id']}").status_code == 200  # pool customers are public
    assert rep_b.patch(f"/customers/{made[0]['id']}", json={"notes": "x"}).status_code == 404  # not editable
    assert rep_b.post(f"/customers/{made[0]['id']}/claim").json()["owner_id"] == rep_b.http.get(
        rep_b.base + "/me").json()["id"]
    assert rep_b.post(f"/customers/{made[0]['id']}/claim").status_code == 409  # not in the pool any more
    assert rep_b.post(f"/customers/{made[1]['id']}/claim").status_code == 200
    over = rep_b.post(f"/customers/{made[2]['id']}/claim")
    assert over.status_code == 409 and "limit" in over.text
    assert rep_b.get(f"/customers/{made[2]['id']}").json()["in_pool"] is True
    kinds = [h["kind"] for h in rep_b.get(f"/customers/{made[0]['id']}/history").json()["items"]]
    assert kinds[:2] == ["claimed", "released"]
    assert helpers.eventually(events("customers.owner_changed",
                                     lambda d: d["customer_id"] == made[0]["id"] and d["reason"] == "claimed"))
    admin.put("/customer-pool/settings", json={"daily_claim_limit": 20})


def test_assign_and_transfer_all_within_scope(admin, rep_a, org, approver, helpers):
    east, west = approver
    rep_b_id = org["users"]["rep_b"]["id"]
    manager_id = org["users"]["manager_a"]["id"]
    c = rep_a.post("/customers", json={"name": f"调配客户{uuid.uuid4().hex[:6]}"}).json()
    assert rep_a.post(f"/customers/{c['id']}/assign", json={"owner_id": manager_id}).status_code == 403
    out = east.post(f"/customers/{c['id']}/assign", json={"owner_id": rep_b_id})
    assert out.status_code == 422 and "owner_id" in out.text  # rep_b is in Sales West
    assert east.post(f"/customers/{c['id']}/assign", json={"owner_id": str(uuid.uuid4())}).status_code == 422
    assert east.post(f"/customers/{c['id']}/assign", json={"owner_id": manager_id, "branch": "BJ"}).status_code == 422
    assert west.post(f"/customers/{c['id']}/assign", json={"owner_id": rep_b_id}).status_code == 404
    moved = east.post(f"/customers/{c['id']}/assign", json={"owner_id": manager_id})
    assert moved.status_code == 200 and moved.json()["owner_id"] == manager_id
    assert rep_a.get(f"/customers/{c['id']}").status_code == 404
    leaver = admin.post("/users", json={"code": f"leaver{uuid.uuid4().hex[:6]}", "name": "离职员工",
                                        "password": "leaver-password", "role_ids": [org["roles"]["rep"]["id"]],
                                        "department_id": org["departments"]["Sales East"]["id"]}).json()
    leaving = helpers.login(leaver["code"], "leaver-password")
    others = [leaving.post("/customers", json={"name": f"离职交接{uuid.uuid4().hex[:6]}"}).json() for _ in range(2)]
    assert west.post("/customers/transfer-all", json={"from_user_id": leaver["id"],
                                                      "to_user_id": rep_b_id}).json()["moved"] == 0
    result = east.post("/customers/transfer-all", json={"from_user_id": leaver["id"], "to_user_id": manager_id})
    assert result.status_code == 200 and result.json()["moved"] == 2
    assert leaving.get("/customers", params={"limit": 200}).json()["items"] == []
    assert all(leaving.get(f"/customers/{o['id']}").status_code == 404 for o in others)
    history = east.get(f"/customers/{others[0]['id']}/history").json()["items"]
    assert history[0]["kind"] == "transferred" and history[0]["data"]["previous_owner_id"] == leaver["id"]


def test_extension_request_and_scheduled_recycling(admin, rep_a, approver, events, helpers):
    east, west = approver
    level = helpers.pick("value_level", f"v{uuid.uuid4().hex[:5]}")
    rules = {"rules": [{"value_level": level, "days_without_followup": 10, "notice_days": 3, "protection_days": 0}]}
    assert admin.put("/customer-pool/settings", json=rules).status_code == 200
    assert rep_a.put("/customer-pool/settings", json=rules).status_code == 403
    c = rep_a.post("/customers", json={"name": f"回收客户{level}", "value_level": level}).json()
    due = datetime.fromisoformat(rep_a.get(f"/customers/{c['id']}").json()["recycle_due_at"])
    now = datetime.now(timezone.utc)
    assert timedelta(days=9) < due - now <= timedelta(days=10)
    warn = admin.post("/customer-pool/run-jobs", json={"now": (now + timedelta(days=8)).isoformat()})
    assert warn.status_code == 200, warn.text
    assert helpers.eventually(events("customers.recycle_warning", lambda d: d["customer_id"] == c["id"]))
    admin.post("/customer-pool/run-jobs", json={"now": (now + timedelta(days=8, hours=1)).isoformat()})
    assert len(events("customers.recycle_warning", lambda d: d["customer_id"] == c["id"])()) == 1  # once

    req = rep_a.post(f"/customers/{c['id']}/extension-requests", json={"days": 30, "reason": "谈判中"})
    assert req.status_code == 201, req.text
    assert rep_a.post(f"/customers/{c['id']}/extension-requests", json={"days": 5}).status_code == 409
    assert rep_a.post(f"/extension-requests/{req.json()['id']}/approve").status_code == 403
    # The sales approval engine decides (default step: customers.approve_extension in scope).
    assert helpers.eventually(lambda: req.json()["id"] in {
        a["document_id"] for a in east.get("/approvals", params={"document_type": "pool_extension"}).json()["items"]})
    assert west.post(f"/extension-requests/{req.json()['id']}/approve").status_code == 404
    approved = east.post(f"/extension-requests/{req.json()['id']}/approve", json={"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert east.post(f"/extension-requests/{req.json()['id']}/reject", json={"comment": "晚了"}).status_code == 409
    assert helpers.eventually(events("customers.extension_decided", lambda d: d["customer_id"] == c["id"]))
    decided = rep_a.get(f"/customers/{c['id']}/extension-requests").json()["items"][0]
    assert (decided["status"], decided["comment"]) == ("approved", "同意")
    admin.post("/customer-pool/run-jobs", json={"now": (now + timedelta(days=20)).isoformat()})
    assert rep_a.get(f"/customers/{c['id']}").json()["in_pool"] is False  # protected until day 30
    ran = admin.post("/customer-pool/run-jobs", json={"now": (now + timedelta(days=31)).isoformat()}).json()
    assert ran["recycled"] >= 1
    assert rep_a.get(f"/customers/{c['id']}").json()["in_pool"] is True  # public, in the pool
    assert rep_a.patch(f"/customers/{c['id']}", json={"notes": "x"}).status_code == 404  # no longer theirs
    assert helpers.eventually(events("customers.owner_changed",
                                     lambda d: d["customer_id"] == c["id"] and d["reason"] == "recycled"))
    admin.put("/customer-pool/settings", json={"rules": []})


def test_birthdays_and_important_dates_emit_reminders_once(admin, rep_a, events, helpers):
    today = datetime.now(timezone.utc).date()
    c = rep_a.post("/customers", json={"name": f"纪念日客户{uuid.uuid4().hex[:6]}"}).json()
    soon = today + timedelta(days=2)
    birthday = date(1980, soon.month, soon.day)  # a leap year: every day of the year exists
    contact = rep_a.post(f"/customers/{c['id']}/contacts", json={"name": "寿星", "birthday": birthday.isoformat()}).json()
    d = rep_a.post(f"/customers/{c['id']}/important-dates", json={"label": "合作周年", "date": soon.isoformat(),
                                                                   "remind_days_before": 5})
    assert d.status_code == 201, d.text
    for _ in range(2):
        assert admin.post("/customer-pool/run-jobs", json={}).status_code == 200
    reminders = helpers.eventually(events("customers.important_date_upcoming", lambda x: x["customer_id"] == c["id"]))
    helpers.eventually(lambda: len(events("customers.important_date_upcoming",
                                          lambda x: x["customer_id"] == c["id"])()) >= 2, timeout=3)
    reminders = events("customers.important_date_upcoming", lambda x: x["customer_id"] == c["id"])()
    kinds = sorted(r["data"]["kind"] for r in reminders)
    assert kinds == ["birthday", "important_date"]
    assert {r["data"]["owner_id"] for r in reminders} == {c["owner_id"]}
    assert contact["birthday"] == birthday.isoformat()


def test_recycle_bin_restore_and_purge(admin, rep_a, rep_b):
    c = rep_a.post("/customers", json={"name": f"回收站客户{uuid.uuid4().hex[:6]}"}).json()
    assert rep_a.delete(f"/customers/{c['id']}").status_code == 403  # reps lack customers.delete
    assert admin.delete(f"/customers/{c['id']}").status_code == 204
    assert c["id"] in {x["id"] for x in admin.get("/customers/recycle-bin", params={"limit": 200}).json()["items"]}
    assert admin.post(f"/customers/{c['id']}/restore").json()["id"] == c["id"]
    assert rep_a.get(f"/customers/{c['id']}").status_code == 200
    admin.delete(f"/customers/{c['id']}")
    assert admin.post(f"/customers/{c['id']}/purge").json()["purged"] is True
    assert admin.post(f"/customers/{c['id']}/restore").status_code == 404


def test_after_sales_complaint_workflow_and_expense_event(rep_a, rep_b, org, events, helpers):
    c = rep_a.post("/customers", json={"name": f"售后客户{uuid.uuid4().hex[:6]}"}).json()
    complaint = rep_a.post(f"/customers/{c['id']}/complaints", json={"subject": "发货延迟", "detail": "晚了三天"})
    assert complaint.status_code == 201, complaint.text
    cid = complaint.json()["id"]
    assert rep_a.post(f"/complaints/{cid}/actions", json={"action": "resolve", "result": "x"}).status_code == 409
    assert rep_a.post(f"/complaints/{cid}/actions", json={"action": "assign",
                                                          "handler_id": org["users"]["rep_b"]["id"]}).status_code == 422
    assert rep_b.post(f"/complaints/{cid}/actions", json={"action": "start"}).status_code == 404
    me = org["users"]["rep_a"]["id"]
    steps = [{"action": "assign", "handler_id": me}, {"action": "start"},
             {"action": "resolve", "result": "补发并致歉"}, {"action": "close", "satisfaction": 4}]
    for step in steps:
        response = rep_a.post(f"/complaints/{cid}/actions", json=step)
        assert response.status_code == 200, response.text
    assert response.json()["status"] == "closed" and response.json()["satisfaction"] == 4
    assert rep_a.post(f"/customers/{c['id']}/service-records", json={
        "kind": "repair", "occurred_at": "2026-01-02T03:04:05+00:00", "summary": "上门维修"}).status_code == 201
    assert rep_a.post(f"/customers/{c['id']}/care-records", json={"kind": "gift", "occurred_on": "2026-02-01"}).status_code == 201
    bad = rep_a.post(f"/customers/{c['id']}/expenses", json={"category": "travel", "amount": "12.345", "spent_on": "2026-03-01"})
    assert bad.status_code == 422 and "amount" in bad.text
    exp = rep_a.post(f"/customers/{c['id']}/expenses", json={"category": "travel", "amount": "880.50", "spent_on": "2026-03-01"})
    assert exp.status_code == 201, exp.text
    assert rep_b.post(f"/customers/{c['id']}/expenses", json={"category": "gift", "amount": "1", "spent_on": "2026-03-01"}).status_code == 404
    found = helpers.eventually(events("customers.expense_recorded", lambda d: d["expense_id"] == exp.json()["id"]))
    assert found and found[0]["data"]["amount"] == "880.50" and found[0]["data"]["currency"] == "CNY"
    detail = rep_a.get(f"/customers/{c['id']}").json()
    assert len(detail["expenses"]) == 1 and len(detail["service_records"]) == 1 and len(detail["care_records"]) == 1


def test_concurrent_job_runs_recycle_each_customer_once(admin, rep_a, events, helpers):
    from concurrent.futures import ThreadPoolExecutor
    level = helpers.pick("value_level", f"r{uuid.uuid4().hex[:5]}")
    admin.put("/customer-pool/settings", json={"rules": [{"value_level": level, "days_without_followup": 1,
                                                          "notice_days": 0}]})
    made = [rep_a.post("/customers", json={"name": f"并发回收{level}{i}", "value_level": level,
                                           "confirm_duplicate": True}).json() for i in range(3)]
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: admin.post("/customer-pool/run-jobs", json={"now": later}), range(4)))
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert sum(r.json()["recycled"] for r in results) >= 3  # other tests' customers may be due too
    for c in made:
        kinds = [h["kind"] for h in admin.get(f"/customers/{c['id']}/history").json()["items"]]
        assert kinds.count("recycled") == 1, kinds
        assert helpers.eventually(events("customers.owner_changed",
                                         lambda d, cid=c["id"]: d["customer_id"] == cid and d["reason"] == "recycled"))
    admin.post("/customer-pool/run-jobs", json={"now": later})
    for c in made:
        assert len(events("customers.owner_changed",
                          lambda d, cid=c["id"]: d["customer_id"] == cid and d["reason"] == "recycled")()) == 1
    admin.put("/customer-pool/settings", json={"rules": []})


def test_the_pool_says_how_and_when_each_customer_arrived(admin, rep_a, rep_b):
    """The 公海 screen (issue 12) shows the reason and date beside each customer."""
    c = rep_a.post("/customers", json={"name": f"入池客户{uuid.uuid4().hex[:6]}"}).json()
    before = datetime.now(timezone.utc)
    assert rep_a.post(f"/customers/{c['id']}/release").status_code == 200
    items = rep_b.get("/customer-pool", params={"limit": 200}).json()["items"]
    pooled = next(item for item in items if item["id"] == c["id"])
    assert pooled["pool_reason"] == "released"
    assert before - timedelta(seconds=5) <= datetime.fromisoformat(pooled["pooled_at"]) <= datetime.now(timezone.utc)
