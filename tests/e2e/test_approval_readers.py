"""Approvers outside a document's data scope (issue 17, docs/approvals.md "Approvers outside the
scope"): a named approver, a role's holder and a 直属上级 of another department read the order
they are asked to approve (with its customer, amount and lines, also on their desk) and decide it
on its own route; they never change it (403); anyone else of that department still gets 404, and
a stage that is not yet theirs too. The same for a contract and its change order."""
import uuid

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write",
               "orders.approve", "contracts.read", "contracts.write", "contracts.approve", "notifications.read"]


@pytest.fixture(scope="module")
def people(admin, helpers):
    """clerk in 甲部; boss (clerk's 直属上级), named, reviewer (the role 复核) and outsider in 乙部;
    everyone sees only their own records (scope own)."""
    tag = uuid.uuid4().hex[:6]
    root = admin.get("/me").json()["department"]["id"]
    here = admin.post("/departments", json={"name": f"甲部 {tag}", "parent_id": root}).json()
    there = admin.post("/departments", json={"name": f"乙部 {tag}", "parent_id": root}).json()
    role = admin.post("/roles", json={"name": f"只看自己 {tag}", "permissions": PERMISSIONS, "data_scope": "own"}).json()
    reviewer = admin.post("/roles", json={"name": f"复核 {tag}", "permissions": PERMISSIONS,
                                          "data_scope": "own"}).json()
    ids, apis = {}, {}
    for code, department, manager, roles in (("boss", there, None, [role]), ("clerk", here, "boss", [role]),
                                             ("named", there, None, [role]), ("reviewer", there, None, [reviewer]),
                                             ("outsider", there, None, [role])):
        response = admin.post("/users", json={
            "code": f"ar_{code}_{tag}", "name": f"读者 {code}", "password": f"{code}-password-{tag}",
            "department_id": department["id"], "role_ids": [r["id"] for r in roles], "manager_id": ids.get(manager)})
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]
        apis[code] = helpers.login(f"ar_{code}_{tag}", f"{code}-password-{tag}")
    return {"ids": ids, "api": apis, "reviewer_role": reviewer["id"]}


@pytest.fixture
def flows(admin):
    """Set document types' flows for one test; retired (or put back) afterwards."""
    touched = []

    def set_flow(document_type, steps):
        live = admin.get("/approval-flows", params={"document_type": document_type}).json()["items"]
        if live:
            touched.append(("patch", live[0]))
            response = admin.patch(f"/approval-flows/{live[0]['id']}", json={"steps": steps})
        else:
            response = admin.post("/approval-flows", json={"document_type": document_type, "name": "读者测试",
                                                           "steps": steps})
            touched.append(("retire", response.json()))
        assert response.status_code in (200, 201), response.text
    yield set_flow
    for how, flow in reversed(touched):
        if how == "patch":
            assert admin.patch(f"/approval-flows/{flow['id']}", json={"steps": flow["steps"]}).status_code == 200
        else:
            assert admin.post(f"/approval-flows/{flow['id']}/retire", json={}).status_code == 200


def _reads(api, path, expected):
    response = api.get(path)
    assert response.status_code == expected, (path, response.text)
    return response.json()


def test_an_orders_approvers_outside_its_scope_read_and_decide_it_and_nobody_else_sees_it(people, flows, product):
    ids, api = people["ids"], people["api"]
    flows("order", [
        {"name": "指定人", "approver": {"kind": "users", "user_ids": [ids["named"]]}},
        {"name": "直属上级", "approver": {"kind": "superior", "level": 1}},
        {"name": "复核岗", "approver": {"kind": "role", "role_id": people["reviewer_role"], "mode": "any"}}])
    customer = api["clerk"].post("/customers", json={"name": "读者测试客户", "confirm_duplicate": True}).json()
    order = api["clerk"].post("/orders", json={"customer_id": customer["id"],
                                               "lines": [{"product_id": product["id"], "quantity": "3"}]}).json()
    path = f"/orders/{order['id']}"
    for code in ("named", "boss", "reviewer", "outsider"):  # not submitted: nobody's to approve
        _reads(api[code], path, 404)
    assert api["clerk"].post(f"{path}/submit", json={}).status_code == 200

    seen = _reads(api["named"], path, 200)
    assert (seen["customer_name"], seen["total"], [line["quantity"] for line in seen["lines"]]) == (
        "读者测试客户", order["total"], ["3.000"])
    assert _reads(api["named"], f"{path}/approvals", 200)[-1]["current_user_ids"] == [ids["named"]]
    desk = [a for a in api["named"].get("/approvals", params={"limit": 200}).json()["items"]
            if a["document_id"] == order["id"]]
    assert desk and desk[0]["facts"]["customer_name"] == "读者测试客户"
    assert desk[0]["facts"]["amount"] == order["total"]
    assert [line["product_name"] for line in desk[0]["facts"]["lines"]] == [product["name"]]
    for code in ("boss", "reviewer", "outsider"):  # the superior's stage is not yet theirs
        _reads(api[code], path, 404)
    assert api["outsider"].post(f"{path}/approve", json={}).status_code == 404

    # reading is not changing: the approver sees the order, so a change is refused (403), not hidden
    assert api["named"].patch(path, json={"notes": "改一下"}).status_code == 403
    assert api["named"].post(f"{path}/cancel", json={}).status_code == 403
    assert api["outsider"].patch(path, json={"notes": "改一下"}).status_code == 404
    assert _reads(api["clerk"], path, 200)["notes"] == order["notes"]

    assert api["named"].post(f"{path}/approve", json={"comment": "可以"}).status_code == 200
    _reads(api["named"], path, 200)  # who decided a stage keeps reading the order
    assert api["named"].patch(path, json={"notes": "再改"}).status_code == 403
    assert api["named"].post(f"{path}/approve", json={}).status_code == 403  # not their stage any more
    assert _reads(api["boss"], path, 200)["status"] == "submitted"
    assert api["boss"].patch(path, json={"notes": "上级改"}).status_code == 403
    assert api["boss"].post(f"{path}/approve", json={}).status_code == 200
    _reads(api["reviewer"], path, 200)
    assert api["reviewer"].post(f"{path}/approve", json={}).status_code == 200
    assert _reads(api["clerk"], path, 200)["status"] == "approved"
    _reads(api["outsider"], path, 404)
    assert api["outsider"].get("/orders", params={"limit": 200}).json()["items"] == []
    assert order["id"] not in [o["id"] for o in api["named"].get("/orders", params={"limit": 200}).json()["items"]]


def test_a_contracts_and_its_change_orders_approvers_outside_its_scope_read_it(people, flows):
    ids, api = people["ids"], people["api"]
    flows("contract", [{"name": "指定人", "approver": {"kind": "users", "user_ids": [ids["named"]]}}])
    flows("contract_change", [{"name": "直属上级", "approver": {"kind": "superior"}}])
    customer = api["clerk"].post("/customers", json={"name": "读者合同客户", "confirm_duplicate": True}).json()
    contract = api["clerk"].post("/contracts", json={
        "customer_id": customer["id"], "kind": "service", "title": "读者维保", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "amount": "5000.00",
        "commission_split": [{"user_id": ids["clerk"], "percent": "100"}]}).json()
    path = f"/contracts/{contract['id']}"
    _reads(api["named"], path, 404)
    assert api["clerk"].post(f"{path}/submit", json={}).status_code == 200
    assert _reads(api["named"], path, 200)["customer_name"] == "读者合同客户"
    _reads(api["boss"], path, 404)
    _reads(api["outsider"], path, 404)
    assert api["named"].patch(path, json={"title": "改名"}).status_code == 403
    assert api["named"].post(f"{path}/approve", json={}).status_code == 200

    changed = api["clerk"].post(f"{path}/change", json={"description": "加量", "amount": "6000.00"})
    assert changed.status_code == 200, changed.text
    change_id = next(c["id"] for c in changed.json()["changes"] if c["status"] == "pending")
    assert _reads(api["boss"], path, 200)["amount"] == "5000.00"  # the change's approver reads the contract
    _reads(api["boss"], f"/contract-changes/{change_id}/approvals", 200)
    assert api["boss"].post(f"{path}/terminate", json={"reason": "不要了"}).status_code == 403
    _reads(api["outsider"], path, 404)
    assert api["outsider"].post(f"/contract-changes/{change_id}/approve", json={}).status_code == 404
    assert api["boss"].post(f"/contract-changes/{change_id}/approve", json={}).status_code == 200
    assert _reads(api["clerk"], path, 200)["amount"] == "6000.00"
