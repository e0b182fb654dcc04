"""Pool extension requests (CUS-07) decided by the sales approval engine (SAL-07): a configured
flow with entry conditions on the customer level, relative and named approvers, notifications,
the decision applied by the customers service, history, bad input, and concurrent decisions."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest

pytestmark = pytest.mark.e2e

DEFAULT_STEPS = [{"name": "Extension approval",
                  "approver": {"permission": "customers.approve_extension", "target": "document"}}]


@pytest.fixture(scope="module")
def heads(admin, org, helpers):
    """An extension approver heading Sales East and one heading Sales West (department scope)."""
    role = admin.post("/roles", json={"name": "Extension approver", "data_scope": "department", "permissions": [
        "customers.read", "customers.approve_extension", "notifications.read"]}).json()
    apis = {}
    for dept in ("Sales East", "Sales West"):
        code = f"pe_{dept.split()[1].lower()}_{uuid.uuid4().hex[:6]}"
        created = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                             "department_id": org["departments"][dept]["id"],
                                             "role_ids": [role["id"]]})
        assert created.status_code == 201, created.text
        apis[dept] = helpers.login(code, f"{code}-password")
    return apis["Sales East"], apis["Sales West"]


@pytest.fixture
def extension_flow(admin):
    flows = admin.get("/approval-flows", params={"document_type": "pool_extension"}).json()["items"]
    if flows:
        flow = flows[0]
    else:
        created = admin.post("/approval-flows", json={"document_type": "pool_extension", "name": "Extensions",
                                                      "steps": DEFAULT_STEPS})
        assert created.status_code == 201, created.text
        flow = created.json()

    def configure(steps):
        response = admin.patch(f"/approval-flows/{flow['id']}", json={"steps": steps})
        assert response.status_code == 200, response.text
        return response.json()
    yield configure
    configure(DEFAULT_STEPS)


def _request(rep, helpers, level, days=30):
    """A customer of `rep` at `level` and its extension request, once sales has opened its approval."""
    customer = rep.post("/customers", json={"name": f"延期客户{uuid.uuid4().hex[:8]}", "value_level": level}).json()
    req = rep.post(f"/customers/{customer['id']}/extension-requests", json={"days": days, "reason": "大单谈判中"})
    assert req.status_code == 201, req.text

    def approval():
        found = rep.get(f"/extension-requests/{req.json()['id']}/approvals")
        return found.json()[-1] if found.status_code == 200 else None
    opened = helpers.eventually(approval)
    assert opened, "sales never opened the request's approval"
    return customer, req.json(), opened


def _request_status(rep, customer_id):
    return rep.get(f"/customers/{customer_id}/extension-requests").json()["items"][0]


def test_configured_flow_decides_the_request_in_the_customers_service(extension_flow, admin, rep_a, rep_b, heads,
                                                                       events, helpers):
    east, west = heads
    admin_id = admin.get("/me").json()["id"]
    extension_flow([
        {"name": "Head of department", "approver": {"permission": "customers.approve_extension",
                                                    "target": "submitter_department"}},
        {"name": "Director for key accounts", "conditions": {"customer_levels": ["a"]},
         "approver": {"user_id": admin_id}},
    ])
    customer, req, approval = _request(rep_a, helpers, "a")
    assert [s["name"] for s in approval["steps"]] == ["Head of department", "Director for key accounts"]
    assert approval["document_number"].startswith("PE-") and approval["facts"]["days"] == 30
    assert approval["facts"]["reason"] == "大单谈判中" and approval["facts"]["customer_level"] == "a"

    told = helpers.eventually(lambda: [n for n in east.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/approvals/{approval['id']}"])
    assert told and told[0]["kind"] == "pool_extension_waiting_approval"
    assert approval["id"] in {a["id"] for a in east.get("/approvals").json()["items"]}

    # Refused and bad input change nothing, in sales or in customers.
    before = {**helpers.domain_counts("sales"), **helpers.domain_counts("customers")}
    path = f"/extension-requests/{req['id']}"
    assert rep_a.post(f"{path}/approve").status_code == 403  # no approving permission
    assert west.post(f"{path}/approve").status_code == 404  # another department's customer
    assert rep_b.get(f"{path}/approvals").status_code == 404
    assert east.post(f"{path}/reject", json={}).status_code == 422  # a rejection says why
    assert east.post(f"{path}/approve", json={"step": "first"}).status_code == 422
    assert east.post(f"{path}/approve", json={"comment": "x" * 2001}).status_code == 422
    assert east.post(f"{path}/approve", json={"owner_id": admin_id}).status_code == 422
    assert east.post(f"{path}/approve", json={"step": 2}).status_code == 409  # stale step
    assert east.post("/extension-requests/not-a-uuid/approve").status_code == 404
    assert east.post(f"/extension-requests/{uuid.uuid4()}/approve").status_code == 404
    assert {**helpers.domain_counts("sales"), **helpers.domain_counts("customers")} == before

    first = east.post(f"{path}/approve", json={"comment": "同意, 报总监", "step": 1})
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "pending" and first.json()["current_step"] == 2
    assert helpers.eventually(lambda: [n for n in admin.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/approvals/{approval['id']}"])
    assert _request_status(rep_a, customer["id"])["status"] == "pending"  # not before the last step
    assert east.post(f"{path}/approve").status_code == 403  # the director's step

    done = admin.post(f"{path}/approve", json={"comment": "总监同意"})
    assert done.status_code == 200 and done.json()["status"] == "approved"
    decided = helpers.eventually(events("customers.extension_decided", lambda d: d["request_id"] == req["id"]))
    assert decided and decided[0]["data"]["approved"] is True and decided[0]["data"]["decided_by"] == admin_id
    applied = _request_status(rep_a, customer["id"])
    assert (applied["status"], applied["decided_by"], applied["comment"]) == ("approved", admin_id, "总监同意")
    protected = datetime.fromisoformat(rep_a.get(f"/customers/{customer['id']}").json()["protected_until"])
    assert protected == datetime.fromisoformat(decided[0]["data"]["protected_until"])
    kinds = [h["kind"] for h in rep_a.get(f"/customers/{customer['id']}/history").json()["items"]]
    assert kinds[:2] == ["extension_approved", "extension_requested"]

    history = rep_a.get(f"{path}/approvals").json()[-1]
    assert [(a["action"], a["step_name"], a["comment"]) for a in history["actions"]] == [
        ("submit", None, None), ("approve", "Head of department", "同意, 报总监"),
        ("approve", "Director for key accounts", "总监同意")]
    assert east.post(f"{path}/approve").status_code == 409  # decided


def test_rejection_and_a_flow_that_does_not_apply(extension_flow, rep_a, heads, events, helpers):
    east, _ = heads
    extension_flow([{"name": "Key accounts only", "conditions": {"customer_levels": ["a"]},
                     "approver": {"permission": "customers.approve_extension", "target": "document"}}])
    key, key_req, _ = _request(rep_a, helpers, "a")
    rejected = east.post(f"/extension-requests/{key_req['id']}/reject", json={"comment": "跟进不足"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert helpers.eventually(lambda: _request_status(rep_a, key["id"])["status"] == "rejected")
    assert _request_status(rep_a, key["id"])["comment"] == "跟进不足"
    assert rep_a.get(f"/customers/{key['id']}").json()["protected_until"] is None

    # No step applies to a level-B customer: approved at once, by the system.
    other, other_req, approval = _request(rep_a, helpers, "b", days=10)
    assert approval["status"] == "approved" and approval["steps"] == []
    decided = helpers.eventually(events("customers.extension_decided", lambda d: d["request_id"] == other_req["id"]))
    assert decided and decided[0]["data"]["approved"] is True
    assert decided[0]["data"]["decided_by"] == "00000000-0000-0000-0000-000000000000"
    assert helpers.eventually(lambda: _request_status(rep_a, other["id"])["status"] == "approved")


def test_concurrent_decisions_of_one_step_give_exactly_one_outcome(extension_flow, admin, rep_a, heads, events,
                                                                  helpers):
    east, _ = heads
    customer, req, approval = _request(rep_a, helpers, "c")  # the default single step
    path = f"/extension-requests/{req['id']}"
    calls = [(east, "approve", {"step": 1}), (admin, "reject", {"step": 1, "comment": "不同意"})] * 6
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda c: c[0].post(f"{path}/{c[1]}", json=c[2]).status_code, calls))
    assert sorted(statuses) == [200] + [409] * 11
    actions = helpers.rows("sales", "SELECT a.action FROM approval_actions a JOIN approval_instances i "
                                    "ON i.id = a.instance_id WHERE i.document_id = %s AND a.action <> 'submit'",
                           (req["id"],))
    assert len(actions) == 1
    outcome = "approved" if actions[0][0] == "approve" else "rejected"
    assert helpers.eventually(lambda: _request_status(rep_a, customer["id"])["status"] == outcome)
    decided = events("customers.extension_decided", lambda d: d["request_id"] == req["id"])
    assert len(helpers.eventually(decided)) == 1


def test_requests_pending_from_before_the_engine_reach_it_once(stack, rep_a, helpers):
    """Upgrading (customers migration 0005): a request made while customers decided requests itself
    had no approval in sales; it gets one, and sending it again changes nothing."""
    from sqlalchemy import create_engine, text

    from crm_customers.pool.use_cases.extensions import resubmit_pending

    customer = rep_a.post("/customers", json={"name": f"升级前客户{uuid.uuid4().hex[:6]}"}).json()
    request_id = str(uuid.uuid4())
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{stack.db_prefix}customers")
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO extension_requests (id, customer_id, requested_by, days, reason, status)"
                " VALUES (:id, :customer, :owner, 30, '升级前的申请', 'pending')"),
                {"id": request_id, "customer": customer["id"], "owner": customer["owner_id"]})
        assert rep_a.get(f"/extension-requests/{request_id}/approvals").status_code == 404  # sales never heard
        sent = []
        for _ in range(2):
            with engine.begin() as connection:
                sent += resubmit_pending(connection)
        assert len(sent) >= 2
        assert helpers.eventually(lambda: helpers.rows(  # sales handled both sendings
            "sales", "SELECT count(*) FROM processed_events WHERE event_id = ANY(%s::uuid[])", (sent,)) == [(len(sent),)])
        assert rep_a.get(f"/extension-requests/{request_id}/approvals").status_code == 200
        assert helpers.rows("sales", "SELECT count(*) FROM approval_instances WHERE document_id = %s",
                            (request_id,)) == [(1,)]
    finally:
        engine.dispose()
