"""SAL-03 / SAL-04 over HTTP: configurable stages, opportunities with competitor quotes, won/lost
with reason, the weighted forecast per owner/department/month within scope, competitors."""
import uuid
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e
PERMISSIONS = ["customers.read", "customers.write", "opportunities.read", "opportunities.write"]


@pytest.fixture(scope="module")
def sellers(admin, org, helpers):
    east, west = org["departments"]["Sales East"]["id"], org["departments"]["Sales West"]["id"]
    role = admin.post("/roles", json={"name": "Opportunity rep", "data_scope": "own",
                                      "permissions": PERMISSIONS}).json()
    lead = admin.post("/roles", json={"name": "Opportunity lead", "data_scope": "department",
                                      "permissions": PERMISSIONS}).json()
    out = {}
    for code, department, r in (("op_east", east, role), ("op_west", west, role), ("op_lead", east, lead)):
        assert admin.post("/users", json={"code": code, "name": code, "department_id": department,
                                          "password": f"{code}-password", "role_ids": [r["id"]]}).status_code == 201
        out[code] = helpers.login(code, f"{code}-password")
    return out


@pytest.fixture(scope="module")
def stages(admin):
    tag = uuid.uuid4().hex[:6]
    made = {}
    for name, position, probability, outcome in (("Lead", 10, "10", "open"), ("Proposal", 20, "50", "open"),
                                                 ("Won", 90, "100", "won"), ("Lost", 91, "0", "lost")):
        response = admin.post("/opportunity-stages", json={"name": f"{name} {tag}", "position": position,
                                                           "probability": probability, "outcome": outcome})
        assert response.status_code == 201, response.text
        made[name] = response.json()
    return made


def test_stages_are_listed_a_page_at_a_time(admin, stages):
    first = admin.get("/opportunity-stages", params={"limit": 1, "sort": "-position"})
    assert first.status_code == 200 and len(first.json()["items"]) == 1 and first.json()["next_cursor"]
    rest = admin.get("/opportunity-stages", params={"limit": 1, "sort": "-position",
                                                    "cursor": first.json()["next_cursor"]}).json()["items"]
    assert rest[0]["position"] <= first.json()["items"][0]["position"]
    assert admin.get("/opportunity-stages", params={"owner": "me"}).status_code == 400


def _opportunity(api, stages, amount, close, stage="Lead", **extra):
    customer = api.post("/customers", json={"name": f"商机客户 {uuid.uuid4().hex[:4]}"}).json()
    response = api.post("/opportunities", json={"customer_id": customer["id"], "title": "ERP 项目",
                                                "stage_id": stages[stage]["id"], "expected_amount": amount,
                                                "expected_close_date": close, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_pipeline_won_lost_and_weighted_forecast(sellers, stages, admin, helpers):
    east, west, lead = sellers["op_east"], sellers["op_west"], sellers["op_lead"]
    a = _opportunity(east, stages, "10000.00", "2031-01-15")
    assert a["probability"] == "10.00" and a["status"] == "open"
    b = _opportunity(east, stages, "4000.00", "2031-02-01", stage="Proposal", probability="75")
    c = _opportunity(west, stages, "9999.00", "2031-01-20")
    assert west.get(f"/opportunities/{a['id']}").status_code == 404

    moved = east.post(f"/opportunities/{a['id']}/move", json={"stage_id": stages["Proposal"]["id"]})
    assert moved.status_code == 200 and moved.json()["probability"] == "50.00"
    assert east.post(f"/opportunities/{a['id']}/move", json={"stage_id": stages["Won"]["id"]}).status_code == 422

    by_month = {row["key"]: row for row in east.get("/opportunity-forecast", params={"group_by": "month"}).json()[
        "items"] if row["key"] >= "2031-01"}
    assert by_month["2031-01"]["weighted_total"] == "5000.00"  # 10000 × 50 %; west's is out of scope
    assert by_month["2031-02"]["weighted_total"] == "3000.00"
    departments = lead.get("/opportunity-forecast", params={"group_by": "department"}).json()["items"]
    assert [row["key"] for row in departments] == [a["department_path"]]  # the lead sees East only
    by_owner = admin.get("/opportunity-forecast", params={"group_by": "owner"}).json()["items"]
    owners = {row["key"]: Decimal(row["weighted_total"]) for row in by_owner}
    assert owners[c["owner_id"]] >= Decimal("999.90")
    assert east.get("/opportunity-forecast", params={"group_by": "customer"}).status_code == 400

    assert east.post(f"/opportunities/{b['id']}/lose", json={}).status_code == 422  # a reason is required
    lost = east.post(f"/opportunities/{b['id']}/lose", json={"reason": "价格高于竞品"}).json()
    assert lost["status"] == "lost" and lost["stage_id"] == stages["Lost"]["id"] and lost["probability"] == "0.00"
    won = east.post(f"/opportunities/{a['id']}/win", json={"reason": "方案最完整"}).json()
    assert won["status"] == "won" and won["stage_id"] == stages["Won"]["id"]
    assert east.post(f"/opportunities/{a['id']}/lose", json={"reason": "x"}).status_code == 409
    after = {row["key"]: row for row in east.get("/opportunity-forecast", params={"group_by": "month"}).json()[
        "items"]}
    assert "2031-01" not in after and "2031-02" not in after  # closed ones leave the forecast


def test_competitors_with_products_agents_branches_activities_and_quotes(sellers, stages, admin):
    east = sellers["op_east"]
    body = {"name": f"竞品公司 {uuid.uuid4().hex[:4]}", "profile": "华东老牌厂商",
            "products": [{"name": "X-200", "price": "18.50"}], "agents": [{"name": "杭州代理", "region": "浙江"}],
            "branches": [{"name": "上海分公司", "city": "上海"}]}
    assert east.post("/competitors", json=body).status_code == 403
    assert admin.post("/competitors", json={**body, "products": [{"name": "X", "price": "-1"}]}).status_code == 422
    competitor = admin.post("/competitors", json=body)
    assert competitor.status_code == 201, competitor.text
    competitor = competitor.json()
    assert admin.post("/competitors", json=body).status_code == 409
    activity = admin.post(f"/competitors/{competitor['id']}/activities",
                          json={"happened_on": "2026-11-01", "description": "双十一降价 15%"})
    assert activity.status_code == 201 and activity.json()["activities"][0]["description"] == "双十一降价 15%"
    assert east.get(f"/competitors/{competitor['id']}").json()["agents"] == [
        {"name": "杭州代理", "region": "浙江"}]

    opportunity = _opportunity(east, stages, "5000.00", "2031-03-01")
    quoted = east.post(f"/opportunities/{opportunity['id']}/competitor-quotes",
                       json={"competitor_id": competitor["id"], "amount": "4800.00", "notes": "含安装"})
    assert quoted.status_code == 201, quoted.text
    assert quoted.json()["competitor_quotes"][0]["amount"] == "4800.00"
    assert east.post(f"/opportunities/{opportunity['id']}/competitor-quotes",
                     json={"competitor_id": str(uuid.uuid4()), "amount": "1.00"}).status_code == 422
