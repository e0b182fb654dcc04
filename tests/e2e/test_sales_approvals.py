"""SAL-07 over HTTP: configured multi-step flows, relative approvers, named approvers,
snapshot on submit, history, self-approval, notifications, and concurrent decisions."""
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.e2e

DEFAULT_STEPS = [{"name": "Approval", "approver": {"permission": "orders.approve", "target": "document"}}]


@pytest.fixture
def order_flow(admin):
    """The order flow for one test; put back to the single default-like step afterwards."""
    flows = admin.get("/approval-flows", params={"document_type": "order"}).json()["items"]
    if flows:
        flow = flows[0]
    else:
        created = admin.post("/approval-flows", json={"document_type": "order", "name": "Orders",
                                                      "steps": DEFAULT_STEPS})
        assert created.status_code == 201, created.text
        flow = created.json()

    def configure(steps, **extra):
        response = admin.patch(f"/approval-flows/{flow['id']}", json={"steps": steps, **extra})
        assert response.status_code == 200, response.text
        return response.json()
    yield configure
    configure(DEFAULT_STEPS, allow_self_approval=False)


def _submitted_order(api, product, quantity, name="Approval Co"):
    customer = api.post("/customers", json={"name": name, "confirm_duplicate": True}).json()
    order = api.post("/orders", json={"customer_id": customer["id"],
                                      "lines": [{"product_id": product["id"], "quantity": str(quantity)}]})
    assert order.status_code == 201, order.text
    submitted = api.post(f"/orders/{order.json()['id']}/submit")
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def test_configured_flow_runs_step_by_step(order_flow, admin, rep_a, rep_b, manager_a, product, helpers):
    admin_id = admin.get("/me").json()["id"]
    v2 = order_flow([
        {"name": "Head of department", "approver": {"permission": "orders.approve",
                                                    "target": "submitter_department"}},
        {"name": "Director", "conditions": {"min_amount": "1000.00"}, "approver": {"user_id": admin_id}},
        {"name": "Key accounts", "conditions": {"customer_levels": ["a"]},
         "approver": {"permission": "orders.approve", "target": "document"}},
    ])
    big = _submitted_order(rep_a, product, 100)  # 1999.00 > 1000: head of department, then director
    small = _submitted_order(rep_a, product, 1)  # 19.99: head of department only
    approval = rep_a.get(f"/orders/{big['id']}/approvals").json()[-1]
    assert [s["name"] for s in approval["steps"]] == ["Head of department", "Director"]
    assert approval["flow_version"] == v2["version"] and approval["status"] == "pending"

    # The head of rep A's department is told and finds it on their desk; rep B is not and does not.
    told = helpers.eventually(lambda: [n for n in manager_a.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/orders/{big['id']}"])
    assert told and told[0]["kind"] == "order_waiting_approval"
    assert big["id"] in {a["document_id"] for a in manager_a.get("/approvals").json()["items"]}
    assert big["id"] not in {a["document_id"] for a in rep_b.get("/approvals").json()["items"]}
    assert rep_b.post(f"/orders/{big['id']}/approve").status_code == 403  # reps hold no approving permission

    # The flow changes while both are in flight: a single step for the director only.
    order_flow([{"name": "Director only", "approver": {"user_id": admin_id}}])

    # A stale click (the approver saw another step) changes nothing.
    assert manager_a.post(f"/orders/{big['id']}/approve", json={"step": 2}).status_code == 409
    first = manager_a.post(f"/orders/{big['id']}/approve", json={"comment": "fine by me", "step": 1})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "submitted"  # one more step, from the snapshot
    # The named director is notified personally.
    assert helpers.eventually(lambda: [n for n in admin.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/orders/{big['id']}"])
    assert manager_a.post(f"/orders/{big['id']}/approve").status_code == 403
    done = admin.post(f"/orders/{big['id']}/approve", json={"comment": "approved, director"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["decision_comment"] == "approved, director"

    history = rep_a.get(f"/orders/{big['id']}/approvals").json()[-1]
    assert history["status"] == "approved"
    assert [(a["action"], a["step_name"], a["comment"]) for a in history["actions"]] == [
        ("submit", None, None), ("approve", "Head of department", "fine by me"),
        ("approve", "Director", "approved, director")]

    # The small order kept its own snapshot (head of department only), not "Director only".
    assert [s["name"] for s in rep_a.get(f"/orders/{small['id']}/approvals").json()[-1]["steps"]] == [
        "Head of department"]
    assert manager_a.post(f"/orders/{small['id']}/approve").json()["status"] == "approved"
    # A new submission follows the new version.
    later = _submitted_order(rep_a, product, 1)
    assert [s["name"] for s in rep_a.get(f"/orders/{later['id']}/approvals").json()[-1]["steps"]] == [
        "Director only"]
    assert admin.post(f"/orders/{later['id']}/reject", json={"comment": "no"}).json()["status"] == "rejected"
    # A rejected order can be edited and submitted again: a second approval, history kept.
    again = rep_a.post(f"/orders/{later['id']}/submit")
    assert again.status_code == 200 and len(rep_a.get(f"/orders/{later['id']}/approvals").json()) == 2


def test_no_matching_step_approves_on_submit(order_flow, rep_a, product, helpers):
    order_flow([{"name": "Big orders", "conditions": {"min_amount": "100000.00"},
                 "approver": {"permission": "orders.approve", "target": "document"}}])
    order = _submitted_order(rep_a, product, 1)
    assert order["status"] == "approved"
    assert helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])


def test_self_approval_is_refused_unless_the_flow_allows_it(order_flow, manager_a, product, helpers):
    order = _submitted_order(manager_a, product, 2, "Self Co")
    before = helpers.domain_counts("sales")
    refused = manager_a.post(f"/orders/{order['id']}/approve")
    assert refused.status_code == 403 and "own" in refused.json()["detail"]
    assert helpers.domain_counts("sales") == before
    order_flow(DEFAULT_STEPS, allow_self_approval=True)
    # In-flight approvals keep the rule they were submitted under.
    assert manager_a.post(f"/orders/{order['id']}/approve").status_code == 403
    allowed = _submitted_order(manager_a, product, 2, "Self Co 2")
    assert manager_a.post(f"/orders/{allowed['id']}/approve").json()["status"] == "approved"


def test_concurrent_approvals_of_one_step_give_exactly_one_outcome(order_flow, admin, rep_a, manager_a, product,
                                                                  helpers):
    order_flow([{"name": "Head", "approver": {"permission": "orders.approve", "target": "document"}},
                {"name": "Second", "approver": {"permission": "orders.approve", "target": "document"}}])
    order = _submitted_order(rep_a, product, 3, "Race Two Co")
    callers = [manager_a, admin] * 6
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(
            lambda api: api.post(f"/orders/{order['id']}/approve", json={"step": 1}).status_code, callers))
    assert sorted(statuses) == [200] + [409] * 11
    actions = helpers.rows("sales", "SELECT a.action, a.step_index FROM approval_actions a JOIN approval_instances i "
                                    "ON i.id = a.instance_id WHERE i.document_id = %s AND a.action = 'approve'",
                           (order["id"],))
    assert actions == [("approve", 0)]
    assert rep_a.get(f"/orders/{order['id']}").json()["status"] == "submitted"


def test_flow_configuration_is_validated_and_admin_only(admin, rep_a, manager_a):
    bad_steps = [
        [],
        [{"name": "x", "approver": {}}],
        [{"name": "x", "approver": {"permission": "orders.approve", "user_id": "00000000-0000-0000-0000-000000000001"}}],
        [{"name": "x", "approver": {"permission": "orders.approve", "target": "the boss"}}],
        [{"name": "x", "conditions": {"min_discount_percent": "101"}, "approver": {"permission": "orders.approve"}}],
        [{"name": "x", "approver": {"permission": "orders.approve"}, "owner_id": "x"}],
    ]
    for steps in bad_steps:
        response = admin.post("/approval-flows", json={"document_type": "contract", "name": "C", "steps": steps})
        assert response.status_code == 422, (steps, response.text)
    assert admin.post("/approval-flows", json={"document_type": "quote", "name": "I",
                                               "steps": DEFAULT_STEPS}).status_code == 422
    assert manager_a.post("/approval-flows", json={"document_type": "contract", "name": "C",
                                                   "steps": DEFAULT_STEPS}).status_code == 403
    assert rep_a.get("/approval-flows").status_code == 403


def test_parent_department_step_goes_above_the_submitters_department(order_flow, admin, rep_a, manager_a, product,
                                                                    helpers):
    root = admin.get("/me").json()["department"]["id"]
    role = admin.post("/roles", json={"name": "Regional head", "data_scope": "subtree",
                                      "permissions": ["orders.read", "orders.approve", "notifications.read"]}).json()
    created = admin.post("/users", json={"code": "regional_head", "name": "Regional Head", "department_id": root,
                                         "password": "regional-head-password", "role_ids": [role["id"]]})
    assert created.status_code == 201, created.text
    head = helpers.login("regional_head", "regional-head-password")
    order_flow([{"name": "Above the department", "approver": {"permission": "orders.approve",
                                                              "target": "parent_department"}}])
    order = _submitted_order(rep_a, product, 1, "Parent Co")
    # The department manager's scope stops at Sales East: the step is the parent's business.
    assert manager_a.post(f"/orders/{order['id']}/approve").status_code == 403
    assert order["id"] not in {a["document_id"] for a in manager_a.get("/approvals").json()["items"]}
    assert order["id"] in {a["document_id"] for a in head.get("/approvals").json()["items"]}
    assert helpers.eventually(lambda: [n for n in head.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/orders/{order['id']}"])
    assert not [n for n in manager_a.get("/notifications").json()["items"]
                if n["link"] == f"/api/v1/orders/{order['id']}"]
    approval_id = rep_a.get(f"/orders/{order['id']}/approvals").json()[-1]["id"]
    assert head.get(f"/approvals/{approval_id}").status_code == 200
    done = head.post(f"/orders/{order['id']}/approve", json={"comment": "区域同意"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
