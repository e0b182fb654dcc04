"""What the 工作台 asks that no other list answers (issue 12): customers about to fall back to
the pool, follow-ups that are due, overdue receivables."""
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the suite's branch time zone


def _ids(api, path, **params) -> list[str]:
    response = api.get(path, params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def recycle_rules(admin, helpers):
    """Two value levels of this test's own, recycled after 3 and 30 days without follow-up."""
    soon, late = (helpers.pick("value_level", f"r{uuid.uuid4().hex[:5]}") for _ in range(2))
    assert admin.put("/customer-pool/settings", json={"rules": [
        {"value_level": soon, "days_without_followup": 3, "notice_days": 1, "protection_days": 0},
        {"value_level": late, "days_without_followup": 30, "notice_days": 1, "protection_days": 0}]}).status_code == 200
    yield soon, late
    admin.put("/customer-pool/settings", json={"rules": []})


def test_customers_about_to_fall_back_to_the_pool(rep_a, rep_b, recycle_rules):
    soon, late = recycle_rules
    c3, c30 = (rep_a.post("/customers", json={"name": f"将回收客户 {level}", "value_level": level}).json()
               for level in (soon, late))
    week = _ids(rep_a, "/customers/recycle-due")  # default: within 7 days
    assert c3["id"] in week and c30["id"] not in week
    month = rep_a.get("/customers/recycle-due", params={"within_days": 40, "limit": 200}).json()["items"]
    mine = [c for c in month if c["id"] in (c3["id"], c30["id"])]
    assert [c["id"] for c in mine] == [c3["id"], c30["id"]]  # soonest first
    dues = [c["recycle_due_at"] for c in month]
    assert dues == sorted(dues)
    assert rep_a.get(f"/customers/{c3['id']}/summary").json()["protection_days_left"] == 3
    assert c3["id"] not in _ids(rep_b, "/customers/recycle-due", within_days=40)  # not rep_b's to see
    for params in ({"within_days": 366}, {"within_days": "x"}, {"sort": "name"}, {"owner_id": "me"}):
        assert rep_a.get("/customers/recycle-due", params=params).status_code == 400, params


def test_follow_ups_due_are_the_latest_interactions_asking_for_one(rep_a, rep_b):
    tag = uuid.uuid4().hex[:6]
    due, later, done = (rep_a.post("/customers", json={"name": f"跟进客户 {name} {tag}"}).json()
                        for name in ("due", "later", "done"))

    def visit(customer, followup, **extra):
        body = {"kind": "visit", "summary": "拜访", **({"next_followup_on": followup.isoformat()} if followup else {}),
                **extra}
        response = rep_a.post(f"/customers/{customer['id']}/interactions", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    asked = visit(due, TODAY)
    visit(later, TODAY + timedelta(days=5))
    visit(done, TODAY - timedelta(days=1))
    visit(done, None)  # the follow-up happened: a newer interaction without a next date
    items = rep_a.get("/follow-ups", params={"limit": 200}).json()["items"]
    found = {item["customer_id"]: item for item in items}
    assert due["id"] in found and later["id"] not in found and done["id"] not in found
    assert found[due["id"]]["id"] == asked["id"] and found[due["id"]]["customer_name"] == due["name"]
    assert found[due["id"]]["next_followup_on"] == TODAY.isoformat()
    assert [i["next_followup_on"] for i in items] == sorted(i["next_followup_on"] for i in items)
    week = {i["customer_id"] for i in rep_a.get("/follow-ups", params={
        "due_by": (TODAY + timedelta(days=7)).isoformat(), "limit": 200}).json()["items"]}
    assert {due["id"], later["id"]} <= week
    assert due["id"] not in {i["customer_id"] for i in rep_b.get("/follow-ups", params={"limit": 200}).json()["items"]}
    for params in ({"due_by": "tomorrow"}, {"sort": "summary"}, {"limit": 0}):
        assert rep_a.get("/follow-ups", params=params).status_code == 400, params


def test_overdue_receivables_of_my_customers(rep_a, rep_b, approved_order, helpers):
    late, current = approved_order(prices=("4.00",)), approved_order(prices=("6.00",))
    # forty days pass for the first one: it was due long ago and nothing has been received
    helpers.rows("finance", "UPDATE receivables SET due_date = due_date - 40 WHERE id = %s RETURNING 1",
                 (late["receivable"]["id"],))
    overdue = _ids(rep_a, "/receivables", overdue="true", sort="due_date")
    assert late["receivable"]["id"] in overdue and current["receivable"]["id"] not in overdue
    assert current["receivable"]["id"] in _ids(rep_a, "/receivables", overdue="false")
    assert late["receivable"]["id"] not in _ids(rep_b, "/receivables", overdue="true")
    assert rep_a.get("/receivables", params={"overdue": "soon"}).status_code == 400
