"""SAL-11 over HTTP: a campaign's cost, tasks, participants and leads, and its report."""
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e


def test_campaign_cost_leads_and_the_sales_they_brought(admin, rep_a, rep_b, manager_a, org, product, helpers):
    assert rep_a.post("/campaigns", json={}).status_code == 403  # reps hold no campaigns.write
    body = {"name": "2026 杭州展会", "kind": "exhibition", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "budget": "50000.00", "participants": [org["users"]["rep_a"]["id"]]}
    before = helpers.domain_counts("sales")
    for bad in ({**body, "ends_on": "2025-01-01"}, {**body, "budget": "-5"}, {**body, "participants": ["x"]}):
        assert admin.post("/campaigns", json=bad).status_code == 422
    assert helpers.domain_counts("sales") == before
    campaign = admin.post("/campaigns", json=body)
    assert campaign.status_code == 201, campaign.text
    campaign = campaign.json()
    assert admin.post(f"/campaigns/{campaign['id']}/costs", json={"description": "展位", "amount": "0",
                                                                  "spent_on": "2026-03-01"}).status_code == 422
    for amount in ("12000.00", "3000.50"):
        assert admin.post(f"/campaigns/{campaign['id']}/costs", json={
            "description": "展位/物料", "amount": amount, "spent_on": "2026-03-01"}).status_code == 201
    task = admin.post(f"/campaigns/{campaign['id']}/tasks", json={"title": "准备样品", "due_on": "2026-02-20",
                                                                  "assignee_id": org["users"]["rep_a"]["id"]})
    assert task.status_code == 201

    lead = rep_a.post("/customers", json={"name": "展会线索有限公司", "confirm_duplicate": True}).json()
    other = rep_b.post("/customers", json={"name": "别的线索", "confirm_duplicate": True}).json()
    assert admin.post(f"/campaigns/{campaign['id']}/leads", json={"customer_id": lead["id"]}).status_code == 201
    assert admin.post(f"/campaigns/{campaign['id']}/leads", json={"customer_id": lead["id"]}).status_code == 409
    assert admin.post(f"/campaigns/{campaign['id']}/leads", json={"customer_id": other["id"]}).status_code == 201

    order = rep_a.post("/orders", json={"customer_id": lead["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "100"}]}).json()
    rep_a.post(f"/orders/{order['id']}/submit")
    assert manager_a.post(f"/orders/{order['id']}/approve").status_code == 200
    report = admin.get(f"/campaigns/{campaign['id']}/report").json()
    assert report["cost"] == "15000.50" and report["leads"] == 2 and report["cost_per_lead"] == "7500.25"
    assert report["orders"] == 1 and Decimal(report["sales"]) == Decimal(order["total"])
    assert report["tasks_open"] == 1
    assert rep_a.get(f"/campaigns/{campaign['id']}").status_code == 403  # no campaigns.read either
