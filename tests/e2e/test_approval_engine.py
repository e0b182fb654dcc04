"""The full approval engine over HTTP (issue 17, SAL-07; issue 16's last item, FIN-05):
approver kinds (named users in sequence, 会签 / 或签, the Nth superior with its fallback,
superiors up to a level, a role, 发起人自选, the head of the submitter's department), no approver
found (auto-pass / the administrator), withdrawal, restart after a rejection, the preview, and an
invoice, a red-letter reversal and a receipt held by finance for their flows (and not without)."""
import uuid

import pytest

pytestmark = pytest.mark.e2e

TEAM_PERMISSIONS = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write",
                    "orders.approve", "invoices.read", "receipts.read", "notifications.read"]
RESET = {"allow_self_approval": False, "no_approver": "auto_pass", "admin_user_id": None, "restart": "first"}
FINANCE_TYPES = ("invoice", "invoice_reversal", "receipt")


@pytest.fixture(scope="module")
def team(admin, helpers):
    """clerk (the submitter) → mid → top, their direct superiors (直属上级); u1..u4 named approvers;
    r1, r2 holding the role 复核岗; all seeing the branch so that they find what they decide."""
    tag = uuid.uuid4().hex[:6]
    root = admin.get("/me").json()["department"]["id"]
    department = admin.post("/departments", json={"name": f"审批引擎部 {tag}", "parent_id": root}).json()
    role = admin.post("/roles", json={"name": f"审批人 {tag}", "permissions": TEAM_PERMISSIONS,
                                      "data_scope": "branch"}).json()
    reviewer = admin.post("/roles", json={"name": f"复核岗 {tag}", "permissions": TEAM_PERMISSIONS,
                                          "data_scope": "branch"}).json()
    ids, apis = {}, {}
    for code, manager, roles in (("top", None, [role]), ("mid", "top", [role]), ("clerk", "mid", [role]),
                                 ("u1", None, [role]), ("u2", None, [role]), ("u3", None, [role]),
                                 ("u4", None, [role]), ("r1", None, [reviewer]), ("r2", None, [reviewer])):
        response = admin.post("/users", json={
            "code": f"ae_{code}_{tag}", "name": f"审批 {code}", "password": f"{code}-password-{tag}",
            "department_id": department["id"], "role_ids": [r["id"] for r in roles],
            "manager_id": ids.get(manager)})
        assert response.status_code == 201, response.text
        assert response.json()["manager_id"] == ids.get(manager)
        ids[code] = response.json()["id"]
        apis[code] = helpers.login(f"ae_{code}_{tag}", f"{code}-password-{tag}")
    ids["admin"] = admin.get("/me").json()["id"]
    return {"ids": ids, "api": apis, "reviewer_role": reviewer["id"]}


def _finance_sees(helpers, document_type, configured):
    rows = helpers.rows("finance", "SELECT configured FROM approval_flow_states WHERE document_type = %s",
                        (document_type,))
    return bool(rows) and rows[0][0] is configured if configured else (not rows or rows[0][0] is False)


@pytest.fixture
def configure(admin, helpers):
    """Set a document type's flow for one test; afterwards the one it had is back (or none)."""
    touched = {}

    def set_flow(document_type, steps, **settings):
        live = admin.get("/approval-flows", params={"document_type": document_type}).json()["items"]
        if live:
            touched.setdefault(document_type, ("patch", live[0]))
            response = admin.patch(f"/approval-flows/{live[0]['id']}", json={"steps": steps, **RESET, **settings})
        else:
            response = admin.post("/approval-flows", json={"document_type": document_type, "name": "引擎测试",
                                                           "steps": steps, **settings})
            touched.setdefault(document_type, ("retire", response.json()))
        assert response.status_code in (200, 201), response.text
        return response.json()
    yield set_flow
    for document_type, (how, flow) in touched.items():
        if how == "patch":
            kept = {key: flow[key] for key in ("name", "steps", *RESET)}
            assert admin.patch(f"/approval-flows/{flow['id']}", json=kept).status_code == 200
        else:
            assert admin.post(f"/approval-flows/{flow['id']}/retire", json={}).status_code == 200
            if document_type in FINANCE_TYPES:  # the next module's invoices are not held
                assert helpers.eventually(lambda t=document_type: _finance_sees(helpers, t, False))


def _order(api, product, quantity=1):
    customer = api.post("/customers", json={"name": "审批引擎测试客户", "confirm_duplicate": True}).json()
    order = api.post("/orders", json={"customer_id": customer["id"],
                                      "lines": [{"product_id": product["id"], "quantity": str(quantity)}]})
    assert order.status_code == 201, order.text
    return order.json()


def _submit(api, product, **body):
    order = _order(api, product)
    response = api.post(f"/orders/{order['id']}/submit", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _approval(api, order_id):
    return api.get(f"/orders/{order_id}/approvals").json()[-1]


def _decide(api, order_id, action="approve", status=200, **body):
    response = api.post(f"/orders/{order_id}/{action}", json=body)
    assert response.status_code == status, response.text
    return response.json()


def test_named_users_in_sequence_then_countersign_then_any_holder_of_a_role(configure, team, product):
    ids, api = team["ids"], team["api"]
    configure("order", [
        {"name": "依次", "approver": {"kind": "users", "user_ids": [ids["u1"], ids["u2"]], "mode": "sequence"}},
        {"name": "会签", "approver": {"kind": "users", "user_ids": [ids["u3"], ids["u4"]], "mode": "all"}},
        {"name": "或签", "approver": {"kind": "role", "role_id": team["reviewer_role"], "mode": "any"}}])
    order = _submit(api["clerk"], product)
    approval = _approval(api["clerk"], order["id"])
    assert [(s["name"], s["mode"], s["user_ids"]) for s in approval["steps"]] == [
        ("依次", "any", [ids["u1"]]), ("依次", "any", [ids["u2"]]), ("会签", "all", [ids["u3"], ids["u4"]]),
        ("或签", "any", sorted([ids["r1"], ids["r2"]]))]
    assert (approval["current_step"], approval["current_user_ids"]) == (1, [ids["u1"]])

    _decide(api["u2"], order["id"], status=403)  # not yet u2's turn
    _decide(api["u1"], order["id"])
    _decide(api["u2"], order["id"])
    assert approval["id"] in [a["id"] for a in api["u4"].get("/approvals", params={"limit": 200}).json()["items"]]
    _decide(api["u3"], order["id"])
    waiting = _approval(api["clerk"], order["id"])
    assert (waiting["current_step"], waiting["current_user_ids"]) == (3, [ids["u4"]])  # 会签: u4 still
    _decide(api["u3"], order["id"], status=403)
    _decide(api["u4"], order["id"])
    assert _approval(api["clerk"], order["id"])["current_step"] == 4
    assert _decide(api["r2"], order["id"])["status"] == "approved"  # 或签: one holder is enough
    assert [a["action"] for a in _approval(api["clerk"], order["id"])["actions"]] == ["submit"] + ["approve"] * 5


def test_superiors_their_fallbacks_and_no_approver_found_in_the_preview_and_on_submit(configure, team, product,
                                                                                      admin):
    ids, api = team["ids"], team["api"]
    configure("order", [
        {"name": "二级上级", "approver": {"kind": "superior", "level": 2}},
        {"name": "逐级", "approver": {"kind": "superiors", "up_to": 3}},
        {"name": "五级或最高", "approver": {"kind": "superior", "level": 5, "fallback": "nearest"}},
        {"name": "五级", "approver": {"kind": "superior", "level": 5, "fallback": "none"}}])
    preview = api["clerk"].post("/approvals/preview", json={"document_type": "order", "amount": "10.00"})
    assert preview.status_code == 200, preview.text
    assert [(s["name"], s["user_ids"], s.get("fallback"), s.get("auto_passed")) for s in preview.json()["stages"]] == [
        ("二级上级", [ids["top"]], None, None), ("逐级", [ids["mid"]], None, None), ("逐级", [ids["top"]], None, None),
        ("五级或最高", [ids["top"]], "nearest", None), ("五级", [], None, True)]
    assert preview.json()["configured"] is True

    configure("order", [{"name": "五级", "approver": {"kind": "superior", "level": 5, "fallback": "none"}}],
              no_approver="admin", admin_user_id=ids["admin"])
    (stage,) = api["clerk"].post("/approvals/preview", json={"document_type": "order"}).json()["stages"]
    assert (stage["user_ids"], stage["fallback"]) == ([ids["admin"]], "admin")
    order = _submit(api["clerk"], product)
    assert _approval(api["clerk"], order["id"])["current_user_ids"] == [ids["admin"]]
    assert _decide(admin, order["id"])["status"] == "approved"

    configure("order", [{"name": "五级", "approver": {"kind": "superior", "level": 5, "fallback": "none"}}])
    order = _submit(api["clerk"], product)
    assert order["status"] == "approved"  # nobody to ask: passed on its own, as the flow says
    assert [(a["action"], a["step"]) for a in _approval(api["clerk"], order["id"])["actions"]] == [
        ("submit", None), ("auto_pass", 1)]


def test_the_submitter_chooses_approvers_then_the_head_of_their_department(configure, team, product, helpers):
    ids, api = team["ids"], team["api"]
    configure("order", [
        {"name": "发起人自选", "approver": {"kind": "chosen", "mode": "all"}},
        {"name": "部门负责人", "approver": {"kind": "department_head", "permission": "orders.approve"}}])
    (chosen, head) = api["clerk"].post("/approvals/preview", json={"document_type": "order"}).json()["stages"]
    assert (chosen["to_choose"], head["permission"], head["target"]) == (True, "orders.approve",
                                                                          "submitter_department")
    order = _order(api["clerk"], product)
    before = helpers.domain_counts("sales")
    for approvers in (None, [str(uuid.uuid4())]):
        refused = api["clerk"].post(f"/orders/{order['id']}/submit",
                                    json={} if approvers is None else {"approvers": approvers})
        assert refused.status_code == 422 and "approvers" in refused.json()["errors"], refused.text
    assert helpers.domain_counts("sales") == before
    assert api["clerk"].get(f"/orders/{order['id']}").json()["status"] == "draft"

    submitted = api["clerk"].post(f"/orders/{order['id']}/submit", json={"approvers": [ids["u1"], ids["u2"]]})
    assert submitted.status_code == 200, submitted.text
    assert _approval(api["clerk"], order["id"])["current_user_ids"] == [ids["u1"], ids["u2"]]
    _decide(api["u2"], order["id"])
    _decide(api["u1"], order["id"])
    _decide(api["u1"], order["id"], status=409)  # the department's head is someone else than a chosen one
    assert _decide(api["mid"], order["id"])["status"] == "approved"


def test_withdrawal_and_both_restart_policies(configure, team, product):
    ids, api = team["ids"], team["api"]
    steps = [{"name": "两人依次", "approver": {"kind": "users", "user_ids": [ids["u1"], ids["u2"]]}}]
    configure("order", steps)
    order = _submit(api["clerk"], product)
    _decide(api["u1"], order["id"])
    _decide(api["u2"], order["id"], "reject", comment="价格太低")
    again = api["clerk"].post(f"/orders/{order['id']}/submit", json={}).json()
    assert _approval(api["clerk"], order["id"])["current_user_ids"] == [ids["u1"]]  # restart: from the first

    assert api["u1"].post(f"/orders/{order['id']}/withdraw", json={}).status_code == 403  # not the submitter
    withdrawn = api["clerk"].post(f"/orders/{order['id']}/withdraw", json={})
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "draft")
    assert _approval(api["clerk"], order["id"])["status"] == "withdrawn"
    assert api["clerk"].post(f"/orders/{order['id']}/withdraw", json={}).status_code == 409
    assert again["status"] == "submitted"

    configure("order", steps, restart="rejected_step")
    order = _submit(api["clerk"], product)
    _decide(api["u1"], order["id"])
    _decide(api["u2"], order["id"], "reject", comment="再看看")
    api["clerk"].post(f"/orders/{order['id']}/submit", json={})
    resumed = _approval(api["clerk"], order["id"])
    assert (resumed["current_step"], resumed["current_user_ids"]) == (2, [ids["u2"]])
    assert [(a["action"], a["step"]) for a in resumed["actions"]] == [("submit", None), ("carried", 1)]
    assert _decide(api["u2"], order["id"])["status"] == "approved"


def test_flows_are_validated_and_retired(admin, team, helpers):
    ids = team["ids"]
    before = helpers.domain_counts("sales")
    bad = [
        ({"steps": [{"name": "x", "approver": {"kind": "boss"}}]}, "steps"),
        ({"steps": [{"name": "x", "approver": {"kind": "users", "user_ids": [str(uuid.uuid4())]}}]}, "steps"),
        ({"steps": [{"name": "x", "approver": {"kind": "role", "role_id": str(uuid.uuid4())}}]}, "steps"),
        ({"steps": [{"name": "x", "approver": {"kind": "superiors"}}]}, "steps"),
        ({"steps": [{"name": "x", "approver": {"kind": "superior", "level": 2, "role_id": team["reviewer_role"]}}]},
         "steps"),
        ({"steps": [{"name": "x", "approver": {"kind": "users", "user_ids": [ids["u1"]]}}], "no_approver": "admin"},
         "admin_user_id"),
        ({"steps": [{"name": "x", "approver": {"kind": "users", "user_ids": [ids["u1"]]}}],
          "admin_user_id": str(uuid.uuid4()), "no_approver": "admin"}, "admin_user_id"),
        ({"steps": [{"name": "x", "approver": {"kind": "users", "user_ids": [ids["u1"]]}}], "restart": "later"},
         "restart"),
    ]
    for body, field in bad:
        response = admin.post("/approval-flows", json={"document_type": "contract_termination", "name": "T", **body})
        assert response.status_code == 422 and field in response.json()["errors"], (body, response.text)
    assert helpers.domain_counts("sales") == before

    live = admin.get("/approval-flows", params={"document_type": "contract_termination"}).json()["items"]
    flow = live[0] if live else admin.post("/approval-flows", json={
        "document_type": "contract_termination", "name": "T",
        "steps": [{"name": "x", "approver": {"permission": "contracts.approve"}}]}).json()
    retired = admin.post(f"/approval-flows/{flow['id']}/retire", json={})
    assert retired.status_code == 200 and retired.json()["retired_at"]
    assert admin.get("/approval-flows", params={"document_type": "contract_termination"}).json()["items"] == []
    assert admin.post(f"/approval-flows/{flow['id']}/retire", json={}).status_code == 409
    assert admin.patch(f"/approval-flows/{flow['id']}", json={"name": "y"}).status_code == 409
    assert admin.get("/approval-flows", params={"document_type": "contract_termination", "retired": "true"}
                     ).json()["items"][0]["id"] == flow["id"]
    assert team["api"]["clerk"].post("/approvals/preview", json={"document_type": "contract_termination"}
                                     ).json()["configured"] is False


def _desk_item(api, helpers, document_type, document_id):
    return helpers.eventually(lambda: next((a for a in api.get("/approvals", params={
        "document_type": document_type}).json()["items"] if a["document_id"] == document_id), None))


def test_invoices_reversals_and_receipts_pass_through_their_flows(configure, team, admin, approved_order, helpers):
    u1 = team["api"]["u1"]
    made = approved_order(prices=("100.00",), quantities=["5"])  # 500.00
    order_id, receivable_id = made["order"]["id"], made["receivable"]["id"]
    assert all(_finance_sees(helpers, t, False) for t in FINANCE_TYPES)
    direct = admin.post("/invoices", json={"order_id": order_id, "amount": "10.00"})
    assert (direct.status_code, direct.json()["status"]) == (201, "issued")  # no flow: issued at once

    for document_type in FINANCE_TYPES:
        configure(document_type, [{"name": "财务复核", "approver": {"kind": "users", "user_ids": [team["ids"]["u1"]]}}])
    assert helpers.eventually(lambda: all(_finance_sees(helpers, t, True) for t in FINANCE_TYPES))

    held = admin.post("/invoices", json={"order_id": order_id, "amount": "100.00"}).json()
    assert (held["status"], held["number"]) == ("pending_approval", None)
    approval = _desk_item(u1, helpers, "invoice", held["id"])
    assert approval and approval["facts"]["amount"] == "100.00"
    assert u1.post(f"/approvals/{approval['id']}/approve", json={}).status_code == 200
    issued = helpers.eventually(lambda: (lambda i: i if i["status"] == "issued" else None)(
        admin.get(f"/invoices/{held['id']}").json()))
    assert issued["number"] and issued["approval_id"] == approval["id"]
    assert admin.get(f"/receivables/{receivable_id}").json()["invoiced"] == "110.00"

    # a submitter takes an invoice back: it is a draft again
    other = admin.post("/invoices", json={"order_id": order_id, "amount": "5.00"}).json()
    pending = _desk_item(u1, helpers, "invoice", other["id"])
    assert u1.post(f"/approvals/{pending['id']}/withdraw", json={}).status_code == 403
    assert admin.post(f"/approvals/{pending['id']}/withdraw", json={}).status_code == 200
    assert helpers.eventually(lambda: admin.get(f"/invoices/{other['id']}").json()["status"] == "draft")

    # 红冲 held: its share is taken at once, a rejection gives it back
    red = admin.post(f"/invoices/{held['id']}/reverse", json={"amount": "40.00", "reason": "开错金额"}).json()
    assert (red["status"], red["amount"]) == ("pending_approval", "-40.00")
    assert admin.get(f"/invoices/{held['id']}").json()["reversed_amount"] == "40.00"
    refused = _desk_item(u1, helpers, "invoice_reversal", red["id"])
    assert u1.post(f"/approvals/{refused['id']}/reject", json={"comment": "无需红冲"}).status_code == 200
    assert helpers.eventually(lambda: admin.get(f"/invoices/{red['id']}").json()["status"] == "rejected")
    assert admin.get(f"/invoices/{held['id']}").json()["reversed_amount"] == "0.00"
    red = admin.post(f"/invoices/{held['id']}/reverse", json={"amount": "30.00", "reason": "折让"}).json()
    u1.post(f"/approvals/{_desk_item(u1, helpers, 'invoice_reversal', red['id'])['id']}/approve", json={})
    assert helpers.eventually(lambda: admin.get(f"/invoices/{red['id']}").json()["status"] == "issued")
    assert admin.get(f"/receivables/{receivable_id}").json()["invoiced"] == "80.00"

    # a receipt held: recorded into the receivable and the bank account once approved
    account = admin.post("/bank-accounts", json={"name": f"基本户 {uuid.uuid4().hex[:6]}", "bank_name": "工商银行",
                                                 "account_no": uuid.uuid4().hex[:12], "currency": "CNY"}).json()
    receipt = admin.post("/receipts", json={"receivable_id": receivable_id, "amount": "50.00",
                                            "method": "bank_transfer", "bank_account_id": account["id"]}).json()
    assert receipt["status"] == "pending_approval"
    assert admin.get(f"/receivables/{receivable_id}").json()["received"] == "0.00"
    u1.post(f"/approvals/{_desk_item(u1, helpers, 'receipt', receipt['id'])['id']}/approve", json={})
    assert helpers.eventually(lambda: admin.get(f"/receipts/{receipt['id']}").json()["status"] == "recorded")
    assert admin.get(f"/receivables/{receivable_id}").json()["received"] == "50.00"
    assert admin.get(f"/bank-accounts/{account['id']}").json()["balance"] == "50.00"
    history = admin.get(f"/approval-history/receipt/{receipt['id']}")
    assert history.status_code == 200, history.text
    assert [a["status"] for a in history.json()] == ["approved"]


def test_without_a_flow_finance_documents_are_not_held(admin, approved_order, helpers):
    """After the flows above were retired (and finance heard of it), nothing waits: as before."""
    assert all(_finance_sees(helpers, t, False) for t in FINANCE_TYPES)
    made = approved_order(prices=("100.00",), quantities=["1"])
    invoice = admin.post("/invoices", json={"order_id": made["order"]["id"], "amount": "60.00"}).json()
    red = admin.post(f"/invoices/{invoice['id']}/reverse", json={"amount": "10.00", "reason": "折让"}).json()
    receipt = admin.post("/receipts", json={"receivable_id": made["receivable"]["id"], "amount": "20.00",
                                            "method": "cash"}).json()
    assert (invoice["status"], red["status"], receipt["status"]) == ("issued", "issued", "recorded")
    assert red["number"] and admin.get(f"/receivables/{made['receivable']['id']}").json()["received"] == "20.00"
