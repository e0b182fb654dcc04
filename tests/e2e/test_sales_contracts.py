"""SAL-08 over HTTP: contracts with a commission split, approval through the engine, change orders
and terminations with approvals of their own, renewal, close, and expiry reminders (idempotent)
reaching the owner's inbox."""
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e
CONTRACT_PERMISSIONS = ["customers.read", "customers.write", "contracts.read", "contracts.write",
                        "notifications.read"]


@pytest.fixture(scope="module")
def people(admin, org, helpers):
    east = org["departments"]["Sales East"]["id"]
    rep_role = admin.post("/roles", json={"name": "Contract rep", "data_scope": "own",
                                          "permissions": CONTRACT_PERMISSIONS}).json()
    head_role = admin.post("/roles", json={"name": "Contract head", "data_scope": "department",
                                           "permissions": CONTRACT_PERMISSIONS + ["contracts.approve"]}).json()
    users = {}
    for code, role in (("ct_rep", rep_role), ("ct_rep2", rep_role), ("ct_head", head_role)):
        created = admin.post("/users", json={"code": code, "name": code, "department_id": east,
                                             "password": f"{code}-password", "role_ids": [role["id"]]})
        assert created.status_code == 201, created.text
        users[code] = (created.json(), helpers.login(code, f"{code}-password"))
    return users


def _body(customer_id, people, **overrides):
    return {"customer_id": customer_id, "kind": "service", "title": "年度维保服务", "start_date": "2026-01-01",
            "end_date": "2026-12-31", "amount": "120000.00",
            "commission_split": [{"user_id": people["ct_rep"][0]["id"], "percent": "60"},
                                 {"user_id": people["ct_rep2"][0]["id"], "percent": "40"}], **overrides}


def test_contract_lifecycle(people, admin, helpers):
    rep, head, other = people["ct_rep"][1], people["ct_head"][1], people["ct_rep2"][1]
    customer = rep.post("/customers", json={"name": "合同客户有限公司", "confirm_duplicate": True}).json()
    before = helpers.domain_counts("sales")
    for bad in (_body(customer["id"], people, commission_split=[{"user_id": people["ct_rep"][0]["id"],
                                                                 "percent": "90"}]),
                _body(customer["id"], people, end_date="2025-12-31"),
                _body(customer["id"], people, amount="-1"),
                _body(customer["id"], people, kind="lease"),
                _body(customer["id"], people, status="active")):
        assert rep.post("/contracts", json=bad).status_code == 422, bad
    assert helpers.domain_counts("sales") == before
    created = rep.post("/contracts", json=_body(customer["id"], people))
    assert created.status_code == 201, created.text
    contract = created.json()
    assert contract["status"] == "draft" and contract["number"].startswith("CT-")
    assert [s["percent"] for s in contract["commission_split"]] == ["60.00", "40.00"]
    assert other.get(f"/contracts/{contract['id']}").status_code == 404  # own scope

    assert rep.post(f"/contracts/{contract['id']}/change", json={"description": "x", "amount": "1"}).status_code == 409
    assert rep.post(f"/contracts/{contract['id']}/submit").json()["status"] == "submitted"
    assert rep.post(f"/contracts/{contract['id']}/approve").status_code == 403
    told = helpers.eventually(lambda: [n for n in head.get("/notifications").json()["items"]
                                       if n["link"] == f"/api/v1/contracts/{contract['id']}"])
    assert told and told[0]["kind"] == "contract_waiting_approval"
    active = head.post(f"/contracts/{contract['id']}/approve", json={"comment": "同意"})
    assert active.status_code == 200 and active.json()["status"] == "active"
    assert rep.patch(f"/contracts/{contract['id']}", json=_body(customer["id"], people)).status_code == 409

    # A change order waits for its own approval; nothing else may amend or close the contract meanwhile.
    changed = rep.post(f"/contracts/{contract['id']}/change", json={"description": "增加巡检", "amount": "130000.00"})
    assert changed.status_code == 200 and changed.json()["amount"] == "120000.00"
    pending = changed.json()["changes"][0]
    assert (pending["status"], pending["before"]["amount"], pending["after"]["amount"]) == (
        "pending", "120000.00", "130000.00")
    assert rep.post(f"/contracts/{contract['id']}/change", json={"description": "y", "amount": "1"}).status_code == 409
    assert rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "z"}).status_code == 409
    assert rep.post(f"/contracts/{contract['id']}/close", json={"reason": "z"}).status_code == 409
    assert rep.post(f"/contract-changes/{pending['id']}/approve").status_code == 403
    assert helpers.eventually(lambda: [n for n in head.get("/notifications").json()["items"]
                                       if n["kind"] == "contract_change_waiting_approval"])
    applied = head.post(f"/contract-changes/{pending['id']}/approve", json={"comment": "同意变更"})
    assert applied.status_code == 200 and applied.json()["amount"] == "130000.00"
    assert applied.json()["changes"][0]["status"] == "applied"
    assert head.post(f"/contract-changes/{pending['id']}/approve").status_code == 409
    change_history = rep.get(f"/contract-changes/{pending['id']}/approvals").json()[-1]
    assert [(a["action"], a["comment"]) for a in change_history["actions"]] == [
        ("submit", None), ("approve", "同意变更")]

    renewal = rep.post(f"/contracts/{contract['id']}/renew", json={"end_date": "2027-12-31"})
    assert renewal.status_code == 200, renewal.text
    assert renewal.json()["start_date"] == "2027-01-01" and renewal.json()["renewal_of"] == contract["id"]
    assert renewal.json()["status"] == "draft"
    assert rep.post(f"/contracts/{contract['id']}/renew", json={"end_date": "2026-06-01"}).status_code == 422

    # A termination too: rejected once (the contract stays active), then approved.
    asked = rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "客户搬迁"})
    assert asked.status_code == 200 and asked.json()["status"] == "active"
    first = asked.json()["changes"][-1]
    assert head.post(f"/contract-changes/{first['id']}/reject", json={}).status_code == 422  # say why
    refused = head.post(f"/contract-changes/{first['id']}/reject", json={"comment": "先协商"})
    assert refused.status_code == 200 and refused.json()["status"] == "active"
    second = rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "客户搬迁, 已协商"}).json()["changes"][-1]
    ended = head.post(f"/contract-changes/{second['id']}/approve")
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    assert ended.json()["end_reason"] == "客户搬迁, 已协商"
    assert rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "again"}).status_code == 409
    assert rep.post(f"/contracts/{contract['id']}/close", json={"reason": "归档"}).json()["status"] == "closed"
    changes = rep.get(f"/contracts/{contract['id']}").json()["changes"]
    assert [(c["kind"], c["status"]) for c in changes] == [
        ("change", "applied"), ("terminate", "rejected"), ("terminate", "applied"), ("close", "applied")]
    history = rep.get(f"/contracts/{contract['id']}/approvals").json()[-1]
    assert [a["action"] for a in history["actions"]] == ["submit", "approve"]


def test_expiry_reminders_are_sent_once_per_end_date(people, admin, helpers):
    rep, head = people["ct_rep"][1], people["ct_head"][1]
    customer = rep.post("/customers", json={"name": "到期客户", "confirm_duplicate": True}).json()
    now = datetime(2030, 3, 1, 9, 0, tzinfo=timezone.utc)  # far from any other test's contracts
    contract = rep.post("/contracts", json=_body(customer["id"], people, start_date="2029-04-01",
                                                 end_date="2030-03-20")).json()
    later = rep.post("/contracts", json=_body(customer["id"], people, start_date="2029-04-01",
                                              end_date="2030-06-30")).json()
    for item in (contract, later):
        rep.post(f"/contracts/{item['id']}/submit")
        assert head.post(f"/contracts/{item['id']}/approve").status_code == 200

    run = {"now": now.isoformat(), "days_ahead": 30}
    assert rep.post("/contract-reminders/run", json=run).status_code == 403
    assert admin.post("/contract-reminders/run", json=run).json() == {"reminded": 1}
    assert admin.post("/contract-reminders/run", json=run).json() == {"reminded": 0}  # idempotent
    reminder = helpers.eventually(lambda: [n for n in rep.get("/notifications").json()["items"]
                                           if n["kind"] == "reminder_contract_expiring"
                                           and n["link"] == f"/api/v1/contracts/{contract['id']}"])
    assert reminder and "19 days left" in reminder[0]["title"]
    # A change order moving the end date makes a new reminder due; the later contract stays quiet.
    moved = (date(2030, 3, 25)).isoformat()
    change = rep.post(f"/contracts/{contract['id']}/change", json={"description": "延期", "end_date": moved})
    assert admin.post("/contract-reminders/run", json=run).json() == {"reminded": 0}  # not approved yet
    assert head.post(f"/contract-changes/{change.json()['changes'][-1]['id']}/approve").status_code == 200
    assert admin.post("/contract-reminders/run", json=run).json() == {"reminded": 1}
    assert admin.post("/contract-reminders/run", json={**run, "now": (now + timedelta(days=5)).isoformat()}
                      ).json() == {"reminded": 0}


@pytest.fixture
def change_flow(admin):
    """The contract change flow for one test; back to the default-like single step afterwards."""
    default = [{"name": "Change order approval", "approver": {"permission": "contracts.approve",
                                                             "target": "document"}}]
    flows = admin.get("/approval-flows", params={"document_type": "contract_change"}).json()["items"]
    flow = flows[0] if flows else admin.post("/approval-flows", json={
        "document_type": "contract_change", "name": "Change orders", "steps": default}).json()

    def configure(steps):
        response = admin.patch(f"/approval-flows/{flow['id']}", json={"steps": steps})
        assert response.status_code == 200, response.text
    yield configure
    configure(default)


def _active_contract(people, amount="120000.00"):
    rep, head = people["ct_rep"][1], people["ct_head"][1]
    customer = rep.post("/customers", json={"name": "变更客户", "confirm_duplicate": True}).json()
    contract = rep.post("/contracts", json=_body(customer["id"], people, amount=amount)).json()
    rep.post(f"/contracts/{contract['id']}/submit")
    assert head.post(f"/contracts/{contract['id']}/approve").status_code == 200
    return contract


def test_change_orders_follow_their_flow_and_bad_decisions_change_nothing(change_flow, people, org, admin, helpers):
    rep, head = people["ct_rep"][1], people["ct_head"][1]
    change_flow([{"name": "Large changes", "conditions": {"min_amount": "200000.00"},
                  "approver": {"permission": "contracts.approve", "target": "document"}}])
    contract = _active_contract(people)
    small = rep.post(f"/contracts/{contract['id']}/change", json={"description": "小额", "amount": "150000.00"})
    assert small.json()["amount"] == "150000.00" and small.json()["changes"][-1]["status"] == "applied"
    large = rep.post(f"/contracts/{contract['id']}/change", json={"description": "大额", "amount": "250000.00"})
    assert large.json()["amount"] == "150000.00" and large.json()["changes"][-1]["status"] == "pending"
    change_id = large.json()["changes"][-1]["id"]

    west_role = admin.post("/roles", json={"name": "Contract head West", "data_scope": "department",
                                           "permissions": ["contracts.read", "contracts.approve"]}).json()
    admin.post("/users", json={"code": "ct_head_west", "name": "ct_head_west", "password": "ct_head_west-password",
                               "department_id": org["departments"]["Sales West"]["id"], "role_ids": [west_role["id"]]})
    west = helpers.login("ct_head_west", "ct_head_west-password")
    before = helpers.domain_counts("sales")
    assert west.post(f"/contract-changes/{change_id}/approve").status_code == 404
    assert head.post(f"/contract-changes/{change_id}/approve", json={"step": -1}).status_code == 422
    assert head.post(f"/contract-changes/{change_id}/approve", json={"amount": "1"}).status_code == 422
    assert head.post(f"/contract-changes/{change_id}/reject", json={"comment": ""}).status_code == 422
    assert head.post("/contract-changes/nope/approve").status_code == 404
    assert head.post(f"/contract-changes/{contract['id']}/approve").status_code == 404  # a contract, not a change
    applied = rep.get(f"/contracts/{contract['id']}").json()["changes"][0]["id"]  # the small change
    assert head.post(f"/contract-changes/{applied}/approve").status_code == 409
    assert helpers.domain_counts("sales") == before

    calls = [(head, "approve", {"step": 1}), (admin, "reject", {"step": 1, "comment": "太大"})] * 6
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda c: c[0].post(f"/contract-changes/{change_id}/{c[1]}", json=c[2]).status_code,
                                 calls))
    assert sorted(statuses) == [200] + [409] * 11
    decided = rep.get(f"/contracts/{contract['id']}").json()
    status = decided["changes"][-1]["status"]
    assert status in ("applied", "rejected")
    assert decided["amount"] == ("250000.00" if status == "applied" else "150000.00")
    actions = rep.get(f"/contract-changes/{change_id}/approvals").json()[-1]["actions"]
    assert [a["action"] for a in actions][0] == "submit" and len(actions) == 2
