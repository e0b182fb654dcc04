"""SAL-10 over HTTP: targets per rep and department per period, progress from approved orders."""
from decimal import Decimal

import pytest
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e


def test_target_progress_follows_approved_orders(admin, rep_a, rep_b, manager_a, product):
    customer = rep_a.post("/customers", json={"name": "目标客户", "confirm_duplicate": True}).json()
    draft = rep_a.post("/orders", json={"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    rep, east = draft["owner_id"], draft["department_path"]
    month = current_day().strftime("%Y-%m")
    assert manager_a.post("/targets", json={"subject": "user", "user_id": rep, "department_path": east,
                                            "period": month, "amount": "1000.00"}).status_code == 403
    for bad in ({"subject": "user", "department_path": east, "period": month, "amount": "1"},
                {"subject": "department", "department_path": east, "period": "2026-13", "amount": "1"},
                {"subject": "department", "department_path": east, "period": month, "amount": "0"},
                {"subject": "department", "department_path": "east", "period": month, "amount": "1"}):
        assert admin.post("/targets", json=bad).status_code == 422, bad
    mine = admin.post("/targets", json={"subject": "user", "user_id": rep, "department_path": east,
                                        "period": month, "amount": "1000.00"})
    assert mine.status_code == 201, mine.text
    team = admin.post("/targets", json={"subject": "department", "department_path": east, "period": month,
                                        "amount": "5000.00"}).json()
    mine = mine.json()
    assert rep_b.get(f"/targets/{mine['id']}").status_code == 404
    before_rep = Decimal(rep_a.get(f"/targets/{mine['id']}").json()["achieved"])
    before_team = Decimal(manager_a.get(f"/targets/{team['id']}").json()["achieved"])

    rep_a.post(f"/orders/{draft['id']}/submit")
    unapproved = Decimal(rep_a.get(f"/targets/{mine['id']}").json()["achieved"])
    assert unapproved == before_rep  # submitted is not sold
    assert manager_a.post(f"/orders/{draft['id']}/approve").status_code == 200
    after = rep_a.get(f"/targets/{mine['id']}").json()
    assert Decimal(after["achieved"]) == before_rep + Decimal("19.99")
    assert Decimal(after["progress_percent"]) == (Decimal(after["achieved"]) / 10).quantize(Decimal("0.1"))
    assert Decimal(manager_a.get(f"/targets/{team['id']}").json()["achieved"]) == before_team + Decimal("19.99")
    listed = {t["id"] for t in rep_a.get("/targets", params={"period": month}).json()["items"]}
    assert mine["id"] in listed
