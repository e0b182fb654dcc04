"""Half hand-overs (issue 14): disabling a departing user hands everything they own to a colleague
in one action: customers, open opportunities and quotes, orders in progress, contracts,
field-service orders and calendar entries, each service following `customers.handover_started`,
with the count of each on the hand-over (docs/handover.md)."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "products.read", "opportunities.read", "opportunities.write",
               "orders.read", "orders.write", "contracts.read", "contracts.write", "field_service.read",
               "field_service.write", "fulfilments.read", "calendar.use", "notifications.read"]


@pytest.fixture(scope="module")
def team(admin, org, helpers):
    """A leaver and the colleague who takes over, both in Sales East with their own scope."""
    tag = uuid.uuid4().hex[:6]
    role = admin.post("/roles", json={"name": f"Hand-over rep {tag}", "data_scope": "own",
                                      "permissions": PERMISSIONS}).json()
    people = {}
    for who in ("leaver", "heir"):
        code = f"ho_{who}_{tag}"
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales East"]["id"],
                                          "role_ids": [role["id"]]})
        assert user.status_code == 201, user.text
        people[who] = (user.json(), helpers.login(code, f"{code}-password"))
    return people


def _created(response):
    assert response.status_code == 201, response.text
    return response.json()


def _owned_by_leaver(api, admin, product):
    """One of each kind of record, plus some that are over and stay where they are."""
    customer = _created(api.post("/customers", json={"name": f"交接客户{uuid.uuid4().hex[:6]}"}))
    second = _created(api.post("/customers", json={"name": f"交接客户{uuid.uuid4().hex[:6]}"}))
    stage = _created(admin.post("/opportunity-stages", json={"name": f"交接阶段{uuid.uuid4().hex[:4]}", "position": 60,
                                                             "probability": "40", "outcome": "open"}))
    opportunity = _created(api.post("/opportunities", json={
        "customer_id": customer["id"], "title": "ERP 项目", "stage_id": stage["id"],
        "expected_amount": "1000.00", "expected_close_date": "2030-01-01"}))
    lines = [{"product_id": product["id"], "quantity": "3"}]
    quote = _created(api.post("/quotes", json={"customer_id": customer["id"], "valid_until": "2030-01-01",
                                               "lines": lines}))
    order = _created(api.post("/orders", json={"customer_id": customer["id"], "lines": lines}))
    cancelled = _created(api.post("/orders", json={"customer_id": customer["id"], "lines": lines}))
    assert api.post(f"/orders/{cancelled['id']}/cancel").status_code == 200  # over: stays the leaver's
    me = api.get("/me").json()
    contract = _created(api.post("/contracts", json={
        "customer_id": customer["id"], "kind": "service", "title": "年度维保", "start_date": "2026-01-01",
        "end_date": "2030-12-31", "amount": "1200.00", "commission_split": [{"user_id": me["id"], "percent": "100"}]}))
    service = _created(api.post("/field-service-orders", json={
        "contact_name": "李工", "contact_phone": "13800000002", "address": "杭州滨江 2 号",
        "fault_description": "异响"}))
    later = datetime.now(timezone.utc) + timedelta(days=2)
    upcoming = _created(api.post("/calendar/events", json={
        "title": "回访", "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()}))
    return {"customers": [customer, second], "opportunity": opportunity, "quote": quote, "order": order,
            "cancelled": cancelled, "contract": contract, "field_service": service, "event": upcoming}


def test_disabling_a_leaver_hands_over_everything_they_own_with_the_counts(admin, team, product, helpers):
    (leaver, leaver_api), (heir, heir_api) = team["leaver"], team["heir"]
    owned = _owned_by_leaver(leaver_api, admin, product)
    assert admin.post(f"/users/{leaver['id']}/hand-over", json={"to_user_id": str(uuid.uuid4())}).status_code == 422
    assert admin.post(f"/users/{leaver['id']}/hand-over", json={"to_user_id": leaver["id"]}).status_code == 422
    assert admin.get(f"/users/{leaver['id']}").json()["active"] is True  # refused: nothing changed
    assert heir_api.post(f"/users/{leaver['id']}/hand-over", json={"to_user_id": heir["id"]}).status_code == 403

    started = admin.post(f"/users/{leaver['id']}/hand-over", json={"to_user_id": heir["id"]})
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["counts"]["customers"] == {"customers": 2}
    assert admin.get(f"/users/{leaver['id']}").json()["active"] is False
    assert leaver_api.get("/customers").status_code == 401  # their sessions end with the account

    def done():
        found = admin.get(f"/hand-overs/{job['id']}").json()
        return found if found["status"] == "done" else None
    finished = helpers.eventually(done, timeout=60)
    assert finished, admin.get(f"/hand-overs/{job['id']}").json()
    assert finished["pending_services"] == [] and finished["done_at"]
    assert finished["counts"] == {
        "customers": {"customers": 2},
        "sales": {"opportunities": 1, "quotes": 1, "orders": 1, "contracts": 1, "approvals": 0},
        "logistics": {"field_service_orders": 1, "fulfilments": 0},
        "workspace": {"calendar_events": 1}}

    for customer in owned["customers"]:
        assert heir_api.get(f"/customers/{customer['id']}").json()["owner_id"] == heir["id"]
    for path in (f"/opportunities/{owned['opportunity']['id']}", f"/quotes/{owned['quote']['id']}",
                 f"/orders/{owned['order']['id']}", f"/contracts/{owned['contract']['id']}",
                 f"/field-service-orders/{owned['field_service']['id']}", f"/calendar/events/{owned['event']['id']}"):
        response = heir_api.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["owner_id"] == heir["id"], path
    assert heir_api.get(f"/orders/{owned['cancelled']['id']}").status_code == 404  # an ended order stays
    history = heir_api.get(f"/customers/{owned['customers'][0]['id']}/history").json()["items"]
    assert history[0]["kind"] == "handed_over" and history[0]["data"]["previous_owner_id"] == leaver["id"]
    told = helpers.eventually(lambda: heir_api.get("/notifications", params={"kind": "handover_received"}).json()["items"])
    assert len(told) == 1  # once for the hand-over, not once per customer
    assert heir_api.get("/notifications", params={"kind": "customer_transferred"}).json()["items"] == []

    again = admin.post(f"/users/{leaver['id']}/hand-over", json={"to_user_id": heir["id"]})
    assert again.status_code == 202 and again.json()["counts"]["customers"] == {"customers": 0}
    assert admin.get(f"/hand-overs/{uuid.uuid4()}").status_code == 404
    assert admin.get("/hand-overs/not-an-id").status_code == 404
