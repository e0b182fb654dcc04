"""A customer expense (客户费用) is reimbursed only after approval, to whoever recorded it (issue 14):
customers → sales approval engine → customers → finance, each step by event."""
import uuid

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def people(admin, org, helpers):
    """A colleague of the owner who records the expense, and the department's expense approver."""
    east = org["departments"]["Sales East"]["id"]
    made = {}
    for code, permissions in (("spender", ["customers.read", "customers.write"]),
                              ("expense_boss", ["customers.read", "expenses.approve", "payments.read"])):
        role = admin.post("/roles", json={"name": f"{code} {uuid.uuid4().hex[:6]}", "permissions": permissions,
                                          "data_scope": "department"}).json()
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": east, "role_ids": [role["id"]]})
        assert user.status_code == 201, user.text
        made[code] = (user.json(), helpers.login(code, f"{code}-password"))
    return made


def _payment(admin, expense_id):
    return [p for p in admin.get("/payments", params={"kind": "expense_reimbursement"}).json()["items"]
            if p["source_id"] == expense_id]


def test_an_expense_waits_for_approval_then_pays_whoever_recorded_it(rep_a, admin, people, helpers):
    spender, spender_api = people["spender"]
    _, boss = people["expense_boss"]
    customer = rep_a.post("/customers", json={"name": f"报销客户 {uuid.uuid4().hex[:6]}"}).json()
    expense = spender_api.post(f"/customers/{customer['id']}/expenses",
                               json={"category": "entertainment", "amount": "388.00", "spent_on": "2026-11-20"})
    assert expense.status_code == 201, expense.text
    expense = expense.json()
    assert expense["status"] == "pending" and expense["author_id"] == spender["id"]

    approvals = helpers.eventually(lambda: (r := boss.get(f"/expenses/{expense['id']}/approvals")).status_code == 200
                                   and r.json())
    assert approvals and approvals[0]["status"] == "pending"
    assert _payment(admin, expense["id"]) == []  # nothing is paid while it waits
    assert spender_api.post(f"/expenses/{expense['id']}/approve", json={}).status_code == 403

    decided = boss.post(f"/expenses/{expense['id']}/approve", json={"comment": "同意报销"})
    assert decided.status_code == 200, decided.text
    payment = helpers.eventually(lambda: _payment(admin, expense["id"]))
    assert [(p["payee"], p["amount"], p["status"]) for p in payment] == [(f"user {spender['id']}", "388.00",
                                                                          "pending")]
    shown = helpers.eventually(lambda: [e for e in rep_a.get(f"/customers/{customer['id']}/expenses").json()["items"]
                                        if e["status"] == "approved"])
    assert shown and shown[0]["decision_comment"] == "同意报销"


def test_a_rejected_expense_is_never_paid(rep_a, admin, people, helpers):
    _, spender_api = people["spender"]
    _, boss = people["expense_boss"]
    customer = rep_a.post("/customers", json={"name": f"驳回报销 {uuid.uuid4().hex[:6]}"}).json()
    expense = spender_api.post(f"/customers/{customer['id']}/expenses",
                               json={"category": "gift", "amount": "99.00", "spent_on": "2026-11-20"}).json()
    assert helpers.eventually(lambda: boss.get(f"/expenses/{expense['id']}/approvals").status_code == 200)
    assert boss.post(f"/expenses/{expense['id']}/reject", json={"comment": "超标"}).status_code == 200
    assert helpers.eventually(lambda: [e for e in rep_a.get(f"/customers/{customer['id']}/expenses").json()["items"]
                                       if e["status"] == "rejected"])
    assert _payment(admin, expense["id"]) == []
