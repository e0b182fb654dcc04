"""API keys for integrations (ADM-10): shown once, hashed, scoped, read-only, revocable."""
import pytest
import requests

pytestmark = pytest.mark.e2e


def _with_key(stack, key):
    session = requests.Session()
    session.headers["Authorization"] = f"ApiKey {key}"
    base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
    return lambda method, path, **kw: session.request(method, base + path, timeout=30, **kw)


def test_read_only_key_reads_within_its_users_scope_and_nothing_else(stack, admin, org, rep_a, rep_b, helpers):
    mine = rep_a.post("/customers", json={"name": "Key Reader Co"}).json()
    theirs = rep_b.post("/customers", json={"name": "Not For Key Co"}).json()
    created = admin.post("/api-keys", json={"name": "ERP sync", "user_id": org["users"]["rep_a"]["id"],
                                            "permissions": ["customers.read", "customers.write"],
                                            "data_scope": "all", "read_only": True})
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    assert key.startswith("crm_") and key not in str(admin.get("/api-keys").json())
    assert not helpers.rows("gateway", "SELECT 1 FROM api_keys WHERE key_hash = %s OR prefix = %s",
                            (key, key))
    call = _with_key(stack, key)
    assert call("GET", f"/customers/{mine['id']}").status_code == 200
    # The key cannot see more than its user: rep_a's scope is `own`, whatever the key says.
    assert call("GET", f"/customers/{theirs['id']}").status_code == 404
    assert call("POST", "/customers", json={"name": "x"}).status_code == 403  # read-only
    assert call("GET", "/orders").status_code == 403  # not among the key's permissions
    listed = [k for k in admin.get("/api-keys").json()["items"] if k["id"] == created.json()["id"]][0]
    assert listed["last_used_at"] is not None

    assert admin.delete(f"/api-keys/{created.json()['id']}").status_code == 204
    assert call("GET", f"/customers/{mine['id']}").status_code == 401


def test_writing_key_creates_records_owned_by_its_user(stack, admin, org, rep_a):
    created = admin.post("/api-keys", json={"name": "Web form", "user_id": org["users"]["rep_a"]["id"],
                                            "permissions": ["customers.write", "customers.read"],
                                            "data_scope": "own", "read_only": False}).json()
    call = _with_key(stack, created["key"])
    customer = call("POST", "/customers", json={"name": "From The Web Form"})
    assert customer.status_code == 201
    assert customer.json()["owner_id"] == org["users"]["rep_a"]["id"]
    assert rep_a.get(f"/customers/{customer.json()['id']}").status_code == 200
    assert call("GET", "/me").status_code == 403
    assert _with_key(stack, created["key"] + "x")("GET", "/customers").status_code == 401
    assert rep_a.post("/api-keys", json={"name": "mine", "permissions": ["customers.read"],
                                         "data_scope": "own"}).status_code == 403
