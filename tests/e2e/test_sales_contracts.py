"""SAL-08 over HTTP: contracts with a commission split, approval through the engine, change orders,
termination, renewal, close, and expiry reminders (idempotent) reaching the owner's inbox."""
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

    changed = rep.post(f"/contracts/{contract['id']}/change", json={"description": "增加巡检", "amount": "130000.00"})
    assert changed.status_code == 200 and changed.json()["amount"] == "130000.00"
    assert changed.json()["changes"][0]["before"]["amount"] == "120000.00"

    renewal = rep.post(f"/contracts/{contract['id']}/renew", json={"end_date": "2027-12-31"})
    assert renewal.status_code == 200, renewal.text
    assert renewal.json()["start_date"] == "2027-01-01" and renewal.json()["renewal_of"] == contract["id"]
    assert renewal.json()["status"] == "draft"
    assert rep.post(f"/contracts/{contract['id']}/renew", json={"end_date": "2026-06-01"}).status_code == 422

    ended = rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "客户搬迁"})
    assert ended.status_code == 200 and ended.json()["status"] == "terminated"
    assert rep.post(f"/contracts/{contract['id']}/terminate", json={"reason": "again"}).status_code == 409
    assert rep.post(f"/contracts/{contract['id']}/close", json={"reason": "归档"}).json()["status"] == "closed"
    kinds = [c["kind"] for c in rep.get(f"/contracts/{contract['id']}").json()["changes"]]
    assert kinds == ["change", "terminate", "close"]
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
    rep.post(f"/contracts/{contract['id']}/change", json={"description": "延期", "end_date": moved})
    assert admin.post("/contract-reminders/run", json=run).json() == {"reminded": 1}
    assert admin.post("/contract-reminders/run", json={**run, "now": (now + timedelta(days=5)).isoformat()}
                      ).json() == {"reminded": 0}
