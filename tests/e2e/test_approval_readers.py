"""Approvers outside a document's data scope (issue 17, docs/approvals.md "Approvers outside the
scope"): a named approver, a role's holder and a 直属上级 of another department read the order
they are asked to approve (with its customer, amount and lines, also on their desk) and decide it
on its own route; they never change it (403); anyone else of that department still gets 404, and
a stage that is not yet theirs too. The same for a contract and its change order, and for the
documents of the customers service (a pool extension, an expense) and of finance (an invoice, a
red-letter reversal, a receipt), which ask sales whether the caller approves them."""
import uuid

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write",
               "orders.approve", "contracts.read", "contracts.write", "contracts.approve", "notifications.read",
               "customers.approve_extension", "expenses.approve", "invoices.read", "receipts.read"]
FINANCE_TYPES = ("invoice", "invoice_reversal", "receipt")


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


def _finance_holds(helpers, document_type):
    rows = helpers.rows("finance", "SELECT configured FROM approval_flow_states WHERE document_type = %s",
                        (document_type,))
    return bool(rows) and rows[0][0]


@pytest.fixture
def flows(admin, helpers):
    """Set document types' flows for one test; retired (or put back) afterwards, and finance has
    heard so before the next test (its documents are held only under a flow)."""
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
            if flow["document_type"] in FINANCE_TYPES:
                assert helpers.eventually(lambda t=flow["document_type"]: not _finance_holds(helpers, t))


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


def test_an_approval_says_who_may_decide_it_now_and_its_past_deciders_keep_reading_it(people, flows, product):
    """`may_decide` tells a client whom to show 同意 / 驳回; who decided a stage still opens the
    approval itself (as they read the document and its history), and nobody else outside."""
    ids, api = people["ids"], people["api"]
    flows("order", [{"name": "指定人", "approver": {"kind": "users", "user_ids": [ids["named"]]}},
                    {"name": "直属上级", "approver": {"kind": "superior", "level": 1}}])
    customer = api["clerk"].post("/customers", json={"name": "谁能审批客户", "confirm_duplicate": True}).json()
    order = api["clerk"].post("/orders", json={"customer_id": customer["id"],
                                               "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    path = f"/orders/{order['id']}"
    assert api["clerk"].post(f"{path}/submit", json={}).status_code == 200
    approval_id = next(a["id"] for a in api["named"].get("/approvals", params={"limit": 200}).json()["items"]
                       if a["document_id"] == order["id"])
    assert _reads(api["named"], f"{path}/approvals", 200)[-1]["may_decide"] is True
    assert _reads(api["clerk"], f"{path}/approvals", 200)[-1]["may_decide"] is False  # the submitter's own
    assert _reads(api["named"], f"/approvals/{approval_id}", 200)["may_decide"] is True
    assert _reads(api["clerk"], f"/approvals/{approval_id}", 200)["may_decide"] is False
    for code in ("boss", "outsider"):  # the superior's stage is not yet theirs
        _reads(api[code], f"/approvals/{approval_id}", 404)

    assert api["named"].post(f"{path}/approve", json={"comment": "可以"}).status_code == 200
    after = _reads(api["named"], f"/approvals/{approval_id}", 200)
    assert (after["may_decide"], after["current_step"]) == (False, 2)
    assert [(a["actor_id"], a["action"]) for a in after["actions"] if a["action"] == "approve"] == [
        (ids["named"], "approve")]
    assert _reads(api["named"], f"{path}/approvals", 200)[-1]["may_decide"] is False
    assert _reads(api["boss"], f"/approvals/{approval_id}", 200)["may_decide"] is True
    _reads(api["outsider"], f"/approvals/{approval_id}", 404)
    assert api["boss"].post(f"{path}/approve", json={}).status_code == 200
    assert _reads(api["boss"], f"/approvals/{approval_id}", 200)["may_decide"] is False  # decided: nothing waits


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


def _on_desk(api, helpers, document_type, document_id):
    """The document's approval on the caller's desk, once its service has asked sales to open it."""
    return helpers.eventually(lambda: next((a for a in api.get("/approvals", params={
        "document_type": document_type, "limit": 200}).json()["items"] if a["document_id"] == document_id), None))


def _only_its_approver_reads(api, helpers, path, decide, decided_status):
    """`named` reads the document while it waits for them and after they decided it; boss and
    outsider (named's department, not approvers) get 404 before and after."""
    seen = _reads(api["named"], path, 200)
    for code in ("boss", "outsider"):
        _reads(api[code], path, 404)
    response = api["named"].post(decide, json={"comment": "同意"})
    assert response.status_code == 200, response.text
    assert helpers.eventually(lambda: _reads(api["named"], path, 200)["status"] == decided_status)
    for code in ("boss", "outsider"):
        _reads(api[code], path, 404)
    return seen


def test_a_pool_extensions_and_an_expenses_approver_outside_the_customers_scope_reads_them(people, flows, helpers):
    ids, api = people["ids"], people["api"]
    named = [{"name": "指定人", "approver": {"kind": "users", "user_ids": [ids["named"]]}}]
    flows("pool_extension", named)
    flows("expense_reimbursement", named)
    customer = api["clerk"].post("/customers", json={"name": "读者延期客户", "confirm_duplicate": True}).json()
    request = api["clerk"].post(f"/customers/{customer['id']}/extension-requests", json={"days": 15, "reason": "谈判中"})
    expense = api["clerk"].post(f"/customers/{customer['id']}/expenses",
                                json={"category": "travel", "amount": "120.00", "spent_on": "2026-11-20"})
    assert (request.status_code, expense.status_code) == (201, 201), (request.text, expense.text)
    request, expense = request.json(), expense.json()
    for base in ("/extension-requests", "/expenses"):
        for missing in (uuid.uuid4(), "not-a-uuid"):
            _reads(api["named"], f"{base}/{missing}", 404)
    assert _reads(api["clerk"], f"/extension-requests/{request['id']}", 200)["days"] == 15  # their own customer's

    assert _on_desk(api["named"], helpers, "pool_extension", request["id"])
    seen = _only_its_approver_reads(api, helpers, f"/extension-requests/{request['id']}", f"/extension-requests/{request['id']}/approve", "approved")
    assert (seen["customer_name"], seen["days"], seen["reason"], seen["status"]) == ("读者延期客户", 15, "谈判中", "pending")

    assert _on_desk(api["named"], helpers, "expense_reimbursement", expense["id"])
    seen = _only_its_approver_reads(api, helpers, f"/expenses/{expense['id']}", f"/expenses/{expense['id']}/approve", "approved")
    assert (seen["customer_name"], seen["amount"], seen["category"]) == ("读者延期客户", "120.00", "travel")
    _reads(api["named"], f"/customers/{customer['id']}", 404)  # the customer itself stays outside their scope


def test_invoices_reversals_and_receipts_approvers_outside_their_scope_read_them(people, flows, admin, approved_order,
                                                                                helpers):
    ids, api = people["ids"], people["api"]
    for document_type in FINANCE_TYPES:
        flows(document_type, [{"name": "财务复核", "approver": {"kind": "users", "user_ids": [ids["named"]]}}])
    assert helpers.eventually(lambda: all(_finance_holds(helpers, t) for t in FINANCE_TYPES))
    made = approved_order(prices=("100.00",), quantities=["2"])
    for base in ("/invoices", "/receipts"):
        _reads(api["named"], f"{base}/{uuid.uuid4()}", 404)

    invoice = admin.post("/invoices", json={"order_id": made["order"]["id"], "amount": "50.00"}).json()
    approval = _on_desk(api["named"], helpers, "invoice", invoice["id"])
    seen = _only_its_approver_reads(api, helpers, f"/invoices/{invoice['id']}", f"/approvals/{approval['id']}/approve", "issued")
    assert (seen["amount"], seen["status"]) == ("50.00", "pending_approval")

    red = admin.post(f"/invoices/{invoice['id']}/reverse", json={"amount": "20.00", "reason": "折让"}).json()
    approval = _on_desk(api["named"], helpers, "invoice_reversal", red["id"])
    seen = _only_its_approver_reads(api, helpers, f"/invoices/{red['id']}", f"/approvals/{approval['id']}/approve", "issued")
    assert (seen["kind"], seen["amount"]) == ("red", "-20.00")

    receipt = admin.post("/receipts", json={"receivable_id": made["receivable"]["id"], "amount": "30.00",
                                            "method": "cash"}).json()
    approval = _on_desk(api["named"], helpers, "receipt", receipt["id"])
    seen = _only_its_approver_reads(api, helpers, f"/receipts/{receipt['id']}", f"/approvals/{approval['id']}/approve", "recorded")
    assert (seen["amount"], seen["status"]) == ("30.00", "pending_approval")
    # lists stay the scope's: what they decided is not among their invoices and receipts
    assert {invoice["id"], red["id"]}.isdisjoint(i["id"] for i in api["named"].get(
        "/invoices", params={"limit": 200}).json()["items"])
    assert receipt["id"] not in [r["id"] for r in api["named"].get("/receipts", params={"limit": 200}).json()["items"]]


def test_who_decided_an_earlier_stage_keeps_reading_the_documents_approval_history(people, flows, helpers):
    """GET /approval-history: named approves stage 1 of an expense, stage 2 waits for boss (the
    clerk's 直属上级); named still reads the history with their decision in it, and after boss
    decided too. outsider never; boss not before the stage is theirs."""
    ids, api = people["ids"], people["api"]
    flows("expense_reimbursement", [{"name": "指定人", "approver": {"kind": "users", "user_ids": [ids["named"]]}},
                                    {"name": "直属上级", "approver": {"kind": "superior"}}])
    customer = api["clerk"].post("/customers", json={"name": "读者历史客户", "confirm_duplicate": True}).json()
    expense = api["clerk"].post(f"/customers/{customer['id']}/expenses",
                                json={"category": "travel", "amount": "66.00", "spent_on": "2026-11-21"})
    assert expense.status_code == 201, expense.text
    path = f"/approval-history/expense_reimbursement/{expense.json()['id']}"
    assert _on_desk(api["named"], helpers, "expense_reimbursement", expense.json()["id"])
    assert [a["status"] for a in _reads(api["named"], path, 200)] == ["pending"]
    for code in ("boss", "outsider"):
        _reads(api[code], path, 404)

    decided = api["named"].post(f"/expenses/{expense.json()['id']}/approve", json={"comment": "同意"})
    assert decided.status_code == 200, decided.text
    (waiting,) = _reads(api["named"], path, 200)
    assert (waiting["status"], waiting["current_step"]) == ("pending", 2)
    assert [(a["actor_id"], a["action"], a["step"]) for a in waiting["actions"] if a["action"] == "approve"] == [
        (ids["named"], "approve", 1)]
    # the same history, but for whether each of them may decide it now
    (boss_sees,) = _reads(api["boss"], path, 200)
    assert (boss_sees.pop("may_decide"), waiting.pop("may_decide")) == (True, False)
    assert boss_sees == waiting
    _reads(api["outsider"], path, 404)
    # named sees it now, so deciding again is refused as not theirs (403), not hidden (404)
    assert api["named"].post(f"/expenses/{expense.json()['id']}/approve", json={}).status_code == 403

    assert api["boss"].post(f"/expenses/{expense.json()['id']}/approve", json={}).status_code == 200
    for code in ("named", "boss"):
        assert [a["status"] for a in _reads(api[code], path, 200)] == ["approved"]
    _reads(api["outsider"], path, 404)
