"""Operation log (ADM-05) and immediate revocation of a disabled user's tokens (ADM-02)."""
import psycopg
import pytest

pytestmark = pytest.mark.e2e


def test_every_change_is_logged_with_user_outcome_and_correlation_id(rep_a, admin, org):
    created = rep_a.post("/customers", json={"name": "Audited Co"}, headers={"X-Request-ID": "audit-create-1"})
    assert created.status_code == 201
    refused = rep_a.post("/departments", json={"name": "Nope"}, headers={"X-Request-ID": "audit-refused-1"})
    assert refused.status_code == 403
    rep_a.get("/customers", headers={"X-Request-ID": "audit-read-1"})

    entries = {e["correlation_id"]: e for e in admin.get("/operation-log", params={"limit": 200}).json()["items"]}
    ok = entries["audit-create-1"]
    assert ok["action"] == "POST /customers" and ok["outcome"] == "success" and ok["status"] == 201
    assert ok["user_id"] == org["users"]["rep_a"]["id"] and ok["target_id"] == created.json()["id"]
    failed = entries["audit-refused-1"]
    assert failed["outcome"] == "failure" and failed["status"] == 403 and failed["username"] == "rep_a"
    assert "audit-read-1" not in entries  # reads are not changes

    by_user = admin.get("/operation-log", params={"user_id": org["users"]["rep_a"]["id"],
                                                   "correlation_id": "audit-create-1"}).json()["items"]
    assert [e["correlation_id"] for e in by_user] == ["audit-create-1"]
    assert rep_a.get("/operation-log").status_code == 403


def test_operation_log_cannot_be_edited_or_deleted(stack, admin):
    assert admin.get("/operation-log").status_code == 200
    for method in ("patch", "delete", "put"):
        assert getattr(admin, method)("/operation-log").status_code in (404, 405)
    url = f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}gateway"
    with psycopg.connect(url) as conn:
        for statement in ("UPDATE operation_log SET outcome = 'success'", "DELETE FROM operation_log"):
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(statement)
            conn.rollback()


def test_disabling_a_user_ends_their_access_at_once(admin, org, helpers):
    department = org["departments"]["Sales East"]["id"]
    role = org["roles"]["rep"]["id"]
    user = admin.post("/users", json={"code": "quitter", "name": "Quitter", "department_id": department,
                                      "password": "quitter-password", "role_ids": [role]}).json()
    quitter = helpers.login("quitter", "quitter-password")
    assert quitter.get("/customers").status_code == 200
    assert admin.patch(f"/users/{user['id']}", json={"active": False}).status_code == 200
    assert quitter.get("/customers").status_code == 401
    assert quitter.get("/me").status_code == 401


def test_role_change_takes_effect_without_waiting_for_token_expiry(admin, org, helpers):
    department = org["departments"]["Sales West"]["id"]
    user = admin.post("/users", json={"code": "promoted", "name": "Promoted", "department_id": department,
                                      "password": "promoted-password", "role_ids": []}).json()
    before = helpers.login("promoted", "promoted-password")
    assert before.get("/customers").status_code == 403
    assert admin.patch(f"/users/{user['id']}", json={"role_ids": [org["roles"]["rep"]["id"]]}).status_code == 200
    assert before.get("/customers").status_code == 401  # stale claims: must log in or refresh
    after = helpers.login("promoted", "promoted-password")
    assert after.get("/customers").status_code == 200


def test_role_scope_per_action_read_department_edit_own(admin, org, rep_a, helpers):
    """A rep who may read the department's customers but edit only their own (ADM-04)."""
    role = admin.post("/roles", json={
        "name": "Rep, reads department", "data_scope": "own",
        "permissions": ["customers.read", "customers.write"],
        "scope_overrides": {"customers.read": "department"}}).json()
    department = org["departments"]["Sales East"]["id"]
    admin.post("/users", json={"code": "rep_c", "name": "Rep C", "department_id": department,
                               "password": "rep_c-password", "role_ids": [role["id"]]})
    rep_c = helpers.login("rep_c", "rep_c-password")
    colleague = rep_a.post("/customers", json={"name": "Colleague's Customer"}).json()
    own = rep_c.post("/customers", json={"name": "Rep C's Customer"}).json()
    assert rep_c.get(f"/customers/{colleague['id']}").status_code == 200
    assert colleague["id"] in {c["id"] for c in rep_c.get("/customers", params={"limit": 200}).json()["items"]}
    assert rep_c.patch(f"/customers/{colleague['id']}", json={"industry": "it"}).status_code == 403
    assert rep_c.post(f"/customers/{colleague['id']}/contacts", json={"name": "x"}).status_code == 403
    assert rep_c.patch(f"/customers/{own['id']}", json={"industry": "it"}).status_code == 200
    me = rep_c.get("/me").json()
    assert me["permissions"] == ["customers.read", "customers.write"] and me["data_scope"] == "own"
    assert me["data_scopes"] == {"customers.read": "department", "customers.write": "own"}


def test_disabling_a_user_offers_the_transfer_of_their_customers(admin, org, helpers):
    department = org["departments"]["Sales East"]["id"]
    leaver = admin.post("/users", json={"code": "leaver_2", "name": "Leaver", "department_id": department,
                                        "password": "leaver-2-password", "role_ids": [org["roles"]["rep"]["id"]]})
    leaver = leaver.json()
    api = helpers.login("leaver_2", "leaver-2-password")
    for i in range(2):
        assert api.post("/customers", json={"name": f"离职交接客户 {i} {leaver['id'][:6]}"}).status_code == 201
    disabled = admin.patch(f"/users/{leaver['id']}", json={"active": False}).json()
    offer = disabled["transfer_customers"]
    assert offer["customers_owned"] == 2 and offer["href"] == "/api/v1/customers/transfer-all"
    moved = admin.post(offer["href"].removeprefix("/api/v1"), json={**offer["body"], "to_user_id": org["users"]["rep_a"]["id"]})
    assert moved.status_code == 200 and moved.json()["moved"] == 2
