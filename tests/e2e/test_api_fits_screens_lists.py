"""Issue 14, "an API that fits its screens": the lists across records that the screens need —
what is assigned or dispatched to me, payments by the record they come from, visit reports
across customers, an order's line ids for its shipments and receipts, a detail's tab counts in
one request. Out-of-scope records answer like missing ones (404)."""
import uuid

import pytest

from api_screens import MISSING, hidden_like_missing

pytestmark = pytest.mark.e2e


def test_complaints_assigned_to_me_across_customers(rep_a, rep_b, manager_a, org, customer):
    complaint = rep_a.post(f"/customers/{customer['id']}/complaints", json={"subject": "包装破损"}).json()
    other = rep_a.post(f"/customers/{customer['id']}/complaints", json={"subject": "发票抬头错"}).json()
    assigned = manager_a.post(f"/complaints/{complaint['id']}/actions",
                              json={"action": "assign", "handler_id": org["users"]["rep_a"]["id"]})
    assert assigned.status_code == 200, assigned.text
    mine = rep_a.get("/complaints", params={"assigned_to": "me"}).json()["items"]
    # of this test's two complaints (rep_a is the session's: other tests assign complaints to them too)
    ours = {complaint["id"], other["id"]}
    assert [(c["id"], c["customer_name"]) for c in mine if c["id"] in ours] == [(complaint["id"], customer["name"])]
    assert {complaint["id"], other["id"]} <= {c["id"] for c in rep_a.get("/complaints").json()["items"]}
    assert [c["id"] for c in rep_a.get("/complaints", params={"status": "open", "customer_id": customer["id"]}
                                       ).json()["items"]] == [other["id"]]
    assert complaint["id"] not in {c["id"] for c in manager_a.get("/complaints", params={"assigned_to": "me"}
                                                                  ).json()["items"]}
    assert not {complaint["id"], other["id"]} & {c["id"] for c in rep_b.get("/complaints").json()["items"]}
    assert rep_a.get("/complaints", params={"assigned_to": "someone"}).status_code == 400


@pytest.fixture(scope="module")
def desk_people(admin, org, helpers):
    """Work-order agents: two in Sales East (one leads it), one in Sales West; a business category."""
    permissions = ["calls.read", "calls.write"]
    agent = admin.post("/roles", json={"name": "Fit agent", "data_scope": "own", "permissions": permissions}).json()
    lead = admin.post("/roles", json={"name": "Fit desk lead", "data_scope": "department",
                                      "permissions": permissions}).json()
    people = {}
    for code, department, role in (("wo_agent", "Sales East", agent), ("wo_lead", "Sales East", lead),
                                   ("wo_west", "Sales West", agent)):
        created = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                             "department_id": org["departments"][department]["id"],
                                             "role_ids": [role["id"]]})
        assert created.status_code == 201, created.text
        people[code] = (created.json(), helpers.login(code, f"{code}-password"))
    category = admin.post("/categories", json={"kind": "business", "name": f"工单-{uuid.uuid4().hex[:4]}"}).json()
    return people, category


def test_a_work_order_is_assigned_and_transferred_and_found_as_mine(desk_people):
    people, category = desk_people
    (agent, agent_api), (lead, lead_api), (west, west_api) = people["wo_agent"], people["wo_lead"], people["wo_west"]
    order = lead_api.post("/work-orders", json={"category_id": category["id"], "title": "空调不制冷",
                                                "description": "三楼会议室"})
    assert order.status_code == 201, order.text
    order = order.json()
    assert agent_api.get(f"/work-orders/{order['id']}").status_code == 404  # the lead's, not the agent's yet
    assigned = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]})
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["owner_id"], assigned.json()["department_path"]) == (
        agent["id"], agent_api.get("/me").json()["department"]["path"])
    mine = agent_api.get("/work-orders", params={"assigned_to": "me"}).json()["items"]
    assert [o["id"] for o in mine] == [order["id"]]
    assert order["id"] not in {o["id"] for o in lead_api.get("/work-orders", params={"assigned_to": "me"}
                                                             ).json()["items"]}
    assert order["id"] in {o["id"] for o in lead_api.get("/work-orders").json()["items"]}  # still in the lead's scope
    # transferred on: to someone outside the caller's scope is refused, and so is an unknown user
    outside = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": west["id"]})
    assert outside.status_code == 422 and set(outside.json()["errors"]) == {"assignee_id"}
    assert lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": MISSING}).status_code == 422
    assert lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]}).status_code == 409
    back = agent_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]})
    assert back.status_code == 409
    hidden_like_missing(west_api, "POST", lambda i: f"/work-orders/{i}/assign", order["id"], {"assignee_id": west["id"]})
    assert agent_api.post(f"/work-orders/{order['id']}/close", json={"resolution": "加氟"}).status_code == 200
    closed = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": lead["id"]})
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]


def test_field_service_orders_dispatched_to_me(admin, org, helpers):
    role = admin.post("/roles", json={"name": f"Fit provider {uuid.uuid4().hex[:4]}", "data_scope": "own",
                                      "permissions": ["field_service.provider"]}).json()
    code = f"fsp_{uuid.uuid4().hex[:6]}"
    provider = admin.post("/users", json={"code": code, "name": "服务站", "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales West"]["id"],
                                          "role_ids": [role["id"]]}).json()
    me = admin.get("/me").json()
    orders = [admin.post("/field-service-orders", json={
        "contact_name": "李工", "contact_phone": "13800000000", "address": "无锡市新区 8 号", "equipment": "柴油机",
        "fault_description": "启动困难"}).json() for _ in range(2)]
    for order, to in ((orders[0], me), (orders[1], provider)):
        dispatched = admin.post(f"/field-service-orders/{order['id']}/dispatch",
                                json={"provider_id": to["id"], "provider_name": to["name"]})
        assert dispatched.status_code == 200, dispatched.text
    mine = {o["id"] for o in admin.get("/field-service-orders", params={"assigned_to": "me", "limit": 200}
                                       ).json()["items"]}
    assert orders[0]["id"] in mine and orders[1]["id"] not in mine
    everything = {o["id"] for o in admin.get("/field-service-orders", params={"limit": 200}).json()["items"]}
    assert {o["id"] for o in orders} <= everything
    theirs = helpers.login(code, f"{code}-password").get("/field-service-orders", params={"assigned_to": "me"})
    assert [o["id"] for o in theirs.json()["items"]] == [orders[1]["id"]]


def test_payments_are_found_by_the_record_they_come_from(admin, org, bus, helpers):
    """Two settlements of field-service orders (as logistics announces them); each payment is found
    by its source, and a finance user of another department sees neither."""
    owner = org["users"]["rep_a"]
    sources = [str(uuid.uuid4()) for _ in range(2)]
    for index, source in enumerate(sources):
        bus.publish("logistics.field_service_settled", {
            "field_service_order_id": source, "number": f"FS-HQ-2026-{index:06d}", "provider_id": owner["id"],
            "provider_name": "无锡服务站", "amount": f"{100 + index}.00", "currency": "CNY",
            "owner_id": owner["id"], "department_path": org["departments"]["Sales East"]["path"], "branch": "HQ"})
    found = helpers.eventually(lambda: admin.get("/payments", params={"source_id": sources[1]}).json()["items"])
    assert [(p["source_id"], p["amount"]) for p in found] == [(sources[1], "101.00")]
    assert helpers.eventually(lambda: admin.get("/payments", params={"source_id": sources[0]}).json()["items"])
    both = admin.get("/payments", params={"kind": "field_service_settlement", "status": "pending",
                                          "limit": 200}).json()["items"]
    assert set(sources) <= {p["source_id"] for p in both}
    assert admin.get("/payments", params={"source_id": "not-a-uuid"}).status_code == 400
    role = admin.post("/roles", json={"name": f"Fit cashier {uuid.uuid4().hex[:4]}", "data_scope": "department",
                                      "permissions": ["payments.read"]}).json()
    code = f"cash_{uuid.uuid4().hex[:6]}"
    assert admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password", "role_ids": [role["id"]],
                                      "department_id": org["departments"]["Sales West"]["id"]}).status_code == 201
    west = helpers.login(code, f"{code}-password")
    assert west.get("/payments", params={"source_id": sources[1]}).json()["items"] == []
    hidden_like_missing(west, "GET", lambda i: f"/payments/{i}", found[0]["id"])


def test_visit_reports_across_customers_with_filters(rep_a, rep_b, manager_a, org, customer):
    other = rep_a.post("/customers", json={"name": f"拜访 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    # 23:30 UTC on 2026-03-09 is already 2026-03-10 in Beijing
    visit = rep_a.post(f"/customers/{customer['id']}/interactions", json={
        "kind": "visit", "summary": "上门拜访, 演示新品", "occurred_at": "2026-03-09T23:30:00Z"}).json()
    call = rep_a.post(f"/customers/{other['id']}/interactions", json={
        "kind": "call", "summary": "电话确认", "occurred_at": "2026-03-10T02:00:00Z"}).json()
    elsewhere = rep_a.post(f"/customers/{other['id']}/interactions", json={
        "kind": "visit", "summary": "回访", "occurred_at": "2026-03-12T02:00:00Z"}).json()

    def ids(api, **params):
        answer = api.get("/interactions", params={"limit": 200, **params})
        assert answer.status_code == 200, answer.text
        return [i["id"] for i in answer.json()["items"]]
    rep = org["users"]["rep_a"]["id"]
    assert ids(rep_a, kind="visit", since="2026-03-10", until="2026-03-10", author_id=rep) == [visit["id"]]
    assert ids(rep_a, since="2026-03-10", until="2026-03-12", author_id=rep) == [elsewhere["id"], call["id"], visit["id"]]
    assert ids(rep_a, customer_id=other["id"]) == [elsewhere["id"], call["id"]]
    assert ids(rep_a, until="2026-03-09", author_id=rep) == []
    listed = rep_a.get("/interactions", params={"customer_id": customer["id"]}).json()["items"]
    assert [(i["id"], i["customer_name"]) for i in listed] == [(visit["id"], customer["name"])]
    assert set(ids(manager_a, author_id=rep, since="2026-03-10", until="2026-03-12")) == {
        visit["id"], call["id"], elsewhere["id"]}  # the department's manager reads the team's reports
    assert not {visit["id"], call["id"], elsewhere["id"]} & set(ids(rep_b))
    assert rep_a.get("/interactions", params={"since": "2026-03-12", "until": "2026-03-10"}).status_code == 400
    assert rep_a.get("/interactions", params={"kind": "pigeon"}).status_code == 400


def test_an_order_and_its_line_ids_serve_shipments_and_receipts(rep_a, rep_b, approved_order, helpers):
    made = approved_order(prices=("10.00", "20.00"), quantities=["4", "2"])
    order, receivable = made["order"], made["receivable"]
    first, second = order["lines"]
    shipment = rep_a.post("/shipments", json={"order_id": order["id"], "lines": [
        {"order_line_id": first["id"], "quantity": "3"},
        {"fulfilment_line_id": next(line["id"] for line in made["fulfilment"]["lines"]
                                    if line["order_line_id"] == second["id"]), "quantity": "2"}]})
    assert shipment.status_code == 201, shipment.text
    assert shipment.json()["fulfilment_id"] == made["fulfilment"]["id"]
    remaining = {line["order_line_id"]: line["remaining"]
                 for line in rep_a.get(f"/fulfilments/{made['fulfilment']['id']}").json()["lines"]}
    assert remaining == {first["id"]: "1.000", second["id"]: "0.000"}
    before = helpers.domain_counts("logistics")
    for bad in ({"order_id": order["id"], "lines": [{"order_line_id": first["id"], "quantity": "2"}]},  # 1 left
                {"order_id": order["id"], "lines": [{"order_line_id": MISSING, "quantity": "1"}]},
                {"order_id": order["id"], "fulfilment_id": made["fulfilment"]["id"],
                 "lines": [{"order_line_id": first["id"], "quantity": "1"}]},
                {"order_id": order["id"], "lines": [{"order_line_id": first["id"], "quantity": "1",
                                                     "fulfilment_line_id": first["id"]}]}):
        assert rep_a.post("/shipments", json=bad).status_code == 422, bad
    hidden = rep_b.post("/shipments", json={"order_id": order["id"], "lines": [
        {"order_line_id": first["id"], "quantity": "1"}]})
    absent = rep_b.post("/shipments", json={"order_id": MISSING, "lines": [{"order_line_id": first["id"], "quantity": "1"}]})
    assert hidden.status_code == absent.status_code == 404 and hidden.json()["detail"] == absent.json()["detail"]
    assert helpers.domain_counts("logistics") == before

    receipt = rep_a.post("/receipts", json={"order_id": order["id"], "amount": "30.00", "method": "bank_transfer"})
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["receivable_id"] == receivable["id"]
    assert rep_a.get(f"/receivables/{receivable['id']}").json()["received"] == "30.00"
    both = rep_a.post("/receipts", json={"order_id": order["id"], "receivable_id": receivable["id"], "amount": "1.00",
                                         "method": "cash"})
    assert both.status_code == 422
    hidden = rep_b.post("/receipts", json={"order_id": order["id"], "amount": "1.00", "method": "cash"})
    absent = rep_b.post("/receipts", json={"order_id": MISSING, "amount": "1.00", "method": "cash"})
    assert hidden.status_code == absent.status_code == 404 and hidden.json()["detail"] == absent.json()["detail"]


def test_the_detail_s_tab_counts_come_in_one_request_as_each_list_counts(rep_a, rep_b, customer, product):
    path = f"/customers/{customer['id']}"
    assert rep_a.post(f"{path}/contacts", json={"name": "王芳"}).status_code == 201
    assert rep_a.post("/orders", json={"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}).status_code == 201
    counts = rep_a.get(f"{path}/tab-counts")
    assert counts.status_code == 200, counts.text
    body = counts.json()
    assert body["contacts"] == body["orders"] == {"count": 1, "more": False}
    lists = {"history": f"{path}/history", "interactions": f"{path}/interactions", "relations": f"{path}/relations",
             "complaints": f"{path}/complaints", "expenses": f"{path}/expenses",
             "quotes": f"/quotes?customer_id={customer['id']}", "contracts": f"/contracts?customer_id={customer['id']}",
             "opportunities": f"/opportunities?customer_id={customer['id']}",
             "receivables": f"/receivables?customer_id={customer['id']}"}
    for name, list_path in lists.items():
        listed = rep_a.get(list_path, params={"limit": 100})
        if listed.status_code == 403:  # a list the caller may not read is not counted either
            assert body[name] is None, name
        else:
            assert body[name] == {"count": len(listed.json()["items"]), "more": False}, name
    assert rep_a.get(f"{path}/tab-counts", params={"limit": 1}).json()["history"]["more"] is (body["history"]["count"] > 1)
    hidden_like_missing(rep_b, "GET", lambda i: f"/customers/{i}/tab-counts", customer["id"])
    refused = rep_a.get(f"{path}/tab-counts", params={"limit": 0})  # refused as every list refuses it
    assert refused.status_code == rep_a.get(f"{path}/contacts", params={"limit": 0}).status_code == 400
    assert "limit" in refused.json()["errors"]
