"""The report pack over HTTP (issue 17): what was done through the API shows in each report, as
the owning service's rollups follow its events; a rep sees only their own figures, a manager
their department's; each report is also a file and is in the OpenAPI document.

The session's other tests write orders, receipts and follow-ups too, so every check compares a
report before and after this test's own actions."""
import csv
import io
import uuid
from decimal import Decimal

import pytest

from tests.conftest import eventually

pytestmark = pytest.mark.e2e


def _total(api, path, field, **params):
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    return Decimal(str(response.json()["totals"][field]))


def _grown(api, path, field, before, by, **params):
    """The report's total once it has grown by `by` (the rollups follow events: poll)."""
    return eventually(lambda: _total(api, path, field, **params) == before + by, timeout=30)


def test_orders_receipts_and_follow_ups_show_in_the_reports_within_scope(
        rep_a, rep_b, manager_a, approved_order):
    paths = {"sold": ("/reports/sales-amounts", "order_amount"), "received": ("/reports/receipts", "received"),
             "visits": ("/reports/follow-ups", None)}

    def figures(api):
        sold = _total(api, *paths["sold"], period="year")
        received = _total(api, *paths["received"], period="year")
        visits = api.get("/reports/follow-ups", params={"period": "year"}).json()["totals"].get("visit", 0)
        return sold, received, visits

    before = {name: figures(api) for name, api in (("a", rep_a), ("b", rep_b), ("m", manager_a))}
    # a price no other test sells at: the session's order factory makes one product per price, and
    # whichever test file ran first in this worker would add its units to this product's figures
    done = approved_order(prices=("7.79",), quantities=["3"])  # 23.37, approved by manager_a
    assert rep_a.post("/receipts", json={"receivable_id": done["receivable"]["id"], "amount": "20.00",
                                         "method": "bank_transfer"}).status_code == 201
    assert rep_a.post(f"/customers/{done['customer_id']}/interactions",
                      json={"kind": "visit", "summary": "上门拜访"}).status_code == 201

    for who, api in (("a", rep_a), ("m", manager_a)):  # the rep's own, and the rep's department
        sold, received, visits = before[who]
        assert _grown(api, *paths["sold"], sold, Decimal("23.37"), period="year")
        assert _grown(api, *paths["received"], received, Decimal("20.00"), period="year")
        assert eventually(lambda api=api, visits=visits: api.get("/reports/follow-ups", params={
            "period": "year"}).json()["totals"].get("visit", 0) == visits + 1, timeout=30)
    assert figures(rep_b) == before["b"]  # another department's rep sees nothing of it

    ranked = rep_a.get("/reports/sales-ranking", params={"by": "order_amount"}).json()["items"]
    assert [r["owner_id"] for r in ranked] == [done["order"]["owner_id"]]  # a rep ranks only themself
    products = rep_a.get("/reports/products", params={"limit": 100}).json()["items"]
    product_id = done["order"]["lines"][0]["product_id"]
    [mine] = [p for p in products if p["product_id"] == product_id]
    assert (mine["quantity"], mine["amount"]) == ("3.000", "23.37")
    assert not [p for p in rep_b.get("/reports/products", params={"limit": 100}).json()["items"]
                if p["name"].endswith("-7.79")]

    exported = rep_a.get("/reports/receipts/export", params={"format": "csv", "period": "year"})
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["期间", "回款笔数", "回款金额", "开票张数", "开票金额", "已开票未回款"]
    report = rep_a.get("/reports/receipts", params={"period": "year"}).json()
    assert [row[2] for row in rows[1:]] == [item["received"] for item in report["items"]]


def test_the_funnel_and_win_rate_follow_the_pipeline(admin):
    stage = admin.post("/opportunity-stages", json={"name": f"报表-{uuid.uuid4().hex[:8]}", "position": 60,
                                                    "probability": "40"}).json()
    customer = admin.post("/customers", json={"name": "漏斗测试客户", "confirm_duplicate": True}).json()
    before = admin.get("/reports/opportunities", params={"period": "year"}).json()["totals"]
    opportunity = admin.post("/opportunities", json={
        "customer_id": customer["id"], "title": "报表商机", "stage_id": stage["id"],
        "expected_amount": "1000.00", "expected_close_date": "2030-01-31"})
    assert opportunity.status_code == 201, opportunity.text

    def in_stage():
        stages = admin.get("/reports/funnel").json()["stages"]
        return next((s for s in stages if s["stage_id"] == stage["id"] and s["count"] == 1), None)
    found = eventually(in_stage, timeout=30)
    assert found and (found["amount"], found["weighted"]) == ("1000.00", "400.00")

    assert admin.post(f"/opportunities/{opportunity.json()['id']}/win", json={"reason": "报表"}).status_code == 200
    after = eventually(lambda: (t := admin.get("/reports/opportunities", params={"period": "year"})
                                .json()["totals"])["won"] == before["won"] + 1 and t, timeout=30)
    assert after["created"] == before["created"] + 1
    assert eventually(lambda: not in_stage(), timeout=30)


def test_reports_refuse_bad_questions_and_are_documented(rep_a, anonymous):
    assert rep_a.get("/reports/sales-amounts", params={"period": "week"}).status_code == 400
    assert rep_a.get("/reports/sales-ranking", params={"by": "salary"}).status_code == 400
    assert rep_a.get("/reports/funnel").status_code == 403  # reps here may not read opportunities
    assert anonymous.get("/reports/receipts").status_code == 401
    document = anonymous.get("/openapi.json").json()
    paths = document["paths"]
    for path in ("/reports/funnel", "/reports/opportunities", "/reports/sales-amounts", "/reports/receipts",
                 "/reports/targets", "/reports/follow-ups", "/reports/leads", "/reports/customer-ranking",
                 "/reports/funnel/export"):
        assert "get" in paths[f"/api/v1{path}"], path
    answer = paths["/api/v1/reports/funnel"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "FunnelOut" in str(answer)  # the service's own answer schema (per branch for head office)
