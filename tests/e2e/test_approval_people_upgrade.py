"""The upgrade's sync of the approval engine's people (issue 17, gateway/crm_gateway/approval_sync.py):
a user an older release saved straight into the gateway's database, before the engine existed,
is unknown to it until the deployment's migrate step (`python -m crm_gateway migrate`, what
`make run` and the gateway-migrate Job run) sends it; then a flow's role stage finds them and they
approve. Running the step again changes nothing; the first administrator is known from the start."""
import subprocess
import sys
import uuid

import psycopg
import pytest

from crm_gateway.identity.passwords import hash_password

pytestmark = pytest.mark.e2e


def _migrate(stack) -> None:
    done = subprocess.run([sys.executable, "-m", "crm_gateway", "migrate"], env=stack.env("gateway"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _person(helpers, user_id):
    return helpers.rows("sales", "SELECT role_ids, active, synced_at FROM approval_people WHERE user_id = %s",
                        (user_id,))


def test_a_user_saved_before_the_engine_is_approvable_after_the_migrate_step(stack, admin, helpers, product):
    tag = uuid.uuid4().hex[:6]
    # the first admin (created before any service runs): sent when the gateway started
    assert helpers.eventually(lambda: _person(helpers, admin.get("/me").json()["id"]))
    root = admin.get("/me").json()["department"]["id"]
    department = admin.post("/departments", json={"name": f"升级部 {tag}", "parent_id": root}).json()
    permissions = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write",
                   "orders.approve"]
    checker = admin.post("/roles", json={"name": f"老审核 {tag}", "permissions": permissions,
                                         "data_scope": "branch"}).json()
    seller = admin.post("/roles", json={"name": f"销售 {tag}", "permissions": permissions, "data_scope": "own"}).json()
    rep = admin.post("/users", json={"code": f"up_rep_{tag}", "name": "升级 rep", "password": f"rep-{tag}-password",
                                     "department_id": department["id"], "role_ids": [seller["id"]]})
    assert rep.status_code == 201, rep.text

    old_id = str(uuid.uuid4())  # as a release before the engine left it: a row, and nothing told
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}gateway") as conn:
        conn.execute("INSERT INTO users (id, code, name, department_id, password_hash, active, created_at, updated_at)"
                     " VALUES (%s, %s, %s, %s, %s, true, now(), now())",
                     (old_id, f"up_old_{tag}", "老用户", department["id"], hash_password(f"old-{tag}-password")))
        conn.execute("INSERT INTO user_roles (user_id, role_id) VALUES (%s, %s)", (old_id, checker["id"]))
    assert not _person(helpers, old_id)

    live = admin.get("/approval-flows", params={"document_type": "order"}).json()["items"]
    steps = [{"name": "老审核岗", "approver": {"kind": "role", "role_id": checker["id"], "mode": "any"}}]
    flow = (admin.patch(f"/approval-flows/{live[0]['id']}", json={"steps": steps}) if live else
            admin.post("/approval-flows", json={"document_type": "order", "name": "升级", "steps": steps}))
    assert flow.status_code in (200, 201), flow.text
    try:
        stages = admin.post("/approvals/preview", json={"document_type": "order", "amount": "10.00"}).json()["stages"]
        assert stages[0].get("auto_passed") is True  # nobody holds the role, as far as the engine knows

        _migrate(stack)
        person = _person(helpers, old_id)
        assert [(row[0], row[1]) for row in person] == [([checker["id"]], True)]
        _migrate(stack)  # again: nothing added, nothing overwritten
        assert _person(helpers, old_id) == person

        seller_api = helpers.login(f"up_rep_{tag}", f"rep-{tag}-password")
        customer = seller_api.post("/customers", json={"name": "升级客户", "confirm_duplicate": True}).json()
        order = seller_api.post("/orders", json={"customer_id": customer["id"],
                                                 "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
        assert seller_api.post(f"/orders/{order['id']}/submit", json={}).json()["status"] == "submitted"
        assert seller_api.get(f"/orders/{order['id']}/approvals").json()[-1]["current_user_ids"] == [old_id]
        old = helpers.login(f"up_old_{tag}", f"old-{tag}-password")
        assert old.post(f"/orders/{order['id']}/approve", json={}).json()["status"] == "approved"
    finally:
        if live:
            assert admin.patch(f"/approval-flows/{live[0]['id']}", json={"steps": live[0]["steps"]}).status_code == 200
        else:
            assert admin.post(f"/approval-flows/{flow.json()['id']}/retire", json={}).status_code == 200
