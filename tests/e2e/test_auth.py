"""Login, refresh rotation with reuse detection, logout, throttling (ADM-01)."""
import pytest
import requests

pytestmark = pytest.mark.e2e


def _post(stack, path, body):
    return requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1{path}", json=body, timeout=30)


def test_login_refresh_rotation_and_reuse_detection(stack, org):
    tokens = _post(stack, "/auth/login", {"username": "rep_b", "password": "rep_b-password"}).json()
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] > 0
    rotated = _post(stack, "/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    rotated = rotated.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    # The first token was rotated away: presenting it again is treated as theft...
    assert _post(stack, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401
    # ... and the whole family is revoked, including the newest token.
    assert _post(stack, "/auth/refresh", {"refresh_token": rotated["refresh_token"]}).status_code == 401


def test_refresh_tokens_are_stored_hashed(stack, org, helpers):
    tokens = _post(stack, "/auth/login", {"username": "rep_b", "password": "rep_b-password"}).json()
    stored = helpers.rows("gateway", "SELECT token_hash FROM refresh_tokens")
    assert stored and all(tokens["refresh_token"] not in row[0] for row in stored)
    assert not helpers.rows("gateway", "SELECT 1 FROM users WHERE password_hash NOT LIKE '$argon2id$%%'")


def test_logout_ends_the_session(stack, org):
    tokens = _post(stack, "/auth/login", {"username": "rep_b", "password": "rep_b-password"}).json()
    response = requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/logout",
                             json={"refresh_token": tokens["refresh_token"]},
                             headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=30)
    assert response.status_code == 204
    assert _post(stack, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_repeated_failed_logins_are_throttled(stack, admin, org):
    department = org["departments"]["Sales West"]["id"]
    created = admin.post("/users", json={"code": "victim", "name": "Victim", "department_id": department,
                                         "password": "victim-password", "role_ids": []})
    assert created.status_code == 201
    statuses = [_post(stack, "/auth/login", {"username": "victim", "password": "guess"}).status_code
                for _ in range(5)]
    assert statuses == [401] * 5
    blocked = _post(stack, "/auth/login", {"username": "victim", "password": "victim-password"})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.headers["Content-Type"] == "application/problem+json"


def test_disabled_user_cannot_log_in(stack, admin, org):
    department = org["departments"]["Sales West"]["id"]
    user = admin.post("/users", json={"code": "leaver", "name": "Leaver", "department_id": department,
                                      "password": "leaver-password", "role_ids": []}).json()
    assert _post(stack, "/auth/login", {"username": "leaver", "password": "leaver-password"}).status_code == 200
    assert admin.patch(f"/users/{user['id']}", json={"active": False}).status_code == 200
    assert _post(stack, "/auth/login", {"username": "leaver", "password": "leaver-password"}).status_code == 401


def test_me_reports_the_combined_permissions(rep_a, org):
    me = rep_a.get("/me").json()
    assert me["code"] == "rep_a" and me["data_scope"] == "own"
    assert "orders.approve" not in me["permissions"] and "orders.write" in me["permissions"]


def test_admin_lists_users_page_by_page(admin, org):
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/users", params=params).json()
        seen += [user["code"] for user in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen))
    assert {"admin", "rep_a", "rep_b", "manager_a"} <= set(seen)
    assert admin.get("/users", params={"sort": "password_hash"}).status_code == 400


def test_an_admin_cannot_lock_themselves_out(admin):
    me = admin.get("/me").json()
    for change in ({"active": False}, {"role_ids": []}, {"password": "a-new-password-123"},
                   {"department_id": me["department"]["id"]}):
        response = admin.patch(f"/users/{me['id']}", json=change)
        assert response.status_code == 422 and set(response.json()["errors"]) == set(change), response.text
    own_role = me["roles"][0]["id"]
    response = admin.patch(f"/roles/{own_role}", json={"permissions": ["customers.read"]})
    assert response.status_code == 422 and set(response.json()["errors"]) == {"permissions"}
    assert admin.get("/me").json()["permissions"] == me["permissions"]  # the session still works, unchanged
    assert admin.patch(f"/users/{me['id']}", json={"name": me["name"]}).status_code == 200


def _login_from(stack, username, password, address):
    return requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/login",
                         json={"username": username, "password": password},
                         headers={"X-Forwarded-For": f"{address}, 127.0.0.1"}, timeout=30)


def test_wrong_passwords_from_one_address_do_not_lock_out_the_user_elsewhere(stack, admin, org):
    department = org["departments"]["Sales East"]["id"]
    user = admin.post("/users", json={"code": "mobile", "name": "Mobile", "department_id": department,
                                      "password": "mobile-password", "role_ids": []}).json()
    attacker, office = "203.0.113.7", "198.51.100.9"
    assert [_login_from(stack, "mobile", f"guess-{i}", attacker).status_code for i in range(5)] == [401] * 5
    slowed = _login_from(stack, "mobile", "mobile-password", attacker)
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    assert _login_from(stack, "mobile", "mobile-password", office).status_code == 200
    # the throttling is in the audit log, under the user code and the real client address
    log = admin.get("/operation-log", params={"target_id": "mobile", "action": "POST /auth/login"}).json()["items"]
    assert {(e["status"], e["client_ip"]) for e in log} >= {(401, attacker), (429, attacker), (200, office)}
    # an administrator lifts the delay at once
    unlocked = admin.post(f"/users/{user['id']}/unlock-login")
    assert unlocked.status_code == 200 and unlocked.json()["failures_cleared"] == 5, unlocked.text
    assert _login_from(stack, "mobile", "mobile-password", attacker).status_code == 200


def test_a_user_changes_their_password_and_old_tokens_die(stack, admin, org, helpers):
    department = org["departments"]["Sales East"]["id"]
    admin.post("/users", json={"code": "changer", "name": "Changer", "department_id": department,
                               "password": "changer-password-1", "role_ids": []})
    tokens = _post(stack, "/auth/login", {"username": "changer", "password": "changer-password-1"}).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
    changed = requests.post(f"{base}/auth/password", headers=bearer, timeout=30,
                            json={"current_password": "changer-password-1", "new_password": "changer-password-2"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["code"] == "changer" and changed.json()["sign_in_again"] is True
    assert changed.json()["sessions_ended"] == 1
    assert requests.get(f"{base}/me", headers=bearer, timeout=30).status_code == 401
    assert _post(stack, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert _post(stack, "/auth/login", {"username": "changer", "password": "changer-password-1"}).status_code == 401
    assert _post(stack, "/auth/login", {"username": "changer", "password": "changer-password-2"}).status_code == 200


def test_logout_ends_the_access_token_it_was_called_with(stack, org):
    tokens = _post(stack, "/auth/login", {"username": "rep_b", "password": "rep_b-password"}).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
    assert requests.get(f"{base}/me", headers=bearer, timeout=30).status_code == 200
    assert requests.post(f"{base}/auth/logout", json={"refresh_token": tokens["refresh_token"]},
                         headers=bearer, timeout=30).status_code == 204
    refused = requests.get(f"{base}/me", headers=bearer, timeout=30)
    assert refused.status_code == 401 and refused.headers["Content-Type"] == "application/problem+json"


def _cookie_login(stack, user="rep_b"):
    response = _post(stack, "/auth/login", {"username": user, "password": f"{user}-password", "cookie": True})
    assert response.status_code == 200, response.text
    return response


def test_cookie_login_keeps_the_refresh_token_out_of_the_body(stack, org):
    response = _cookie_login(stack)
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    header = response.headers["Set-Cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert header.startswith("crm_refresh=")
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attributes
    assert "SameSite=Strict" in header and "Path=/api/v1/auth" in header
    assert f"Max-Age={14 * 24 * 3600}" in header


def test_refresh_from_the_cookie_rotates_the_cookie_and_detects_reuse(stack, org):
    first = _cookie_login(stack).cookies["crm_refresh"]
    url = f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/refresh"
    rotated = requests.post(url, cookies={"crm_refresh": first}, timeout=30)  # no body at all
    assert rotated.status_code == 200, rotated.text
    assert "refresh_token" not in rotated.json() and rotated.json()["access_token"]
    second = rotated.cookies["crm_refresh"]
    assert second != first
    assert requests.post(url, json={}, cookies={"crm_refresh": first}, timeout=30).status_code == 401
    # reuse of the rotated-away cookie revoked the family, the newest cookie included
    assert requests.post(url, json={}, cookies={"crm_refresh": second}, timeout=30).status_code == 401


def test_refresh_without_a_token_anywhere_is_unauthorized(stack, org):
    response = _post(stack, "/auth/refresh", {})
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"


def test_logout_by_cookie_revokes_the_family_and_clears_the_cookie(stack, org):
    response = _cookie_login(stack)
    cookie, access = response.cookies["crm_refresh"], response.json()["access_token"]
    out = requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/logout", json={},
                        cookies={"crm_refresh": cookie}, headers={"Authorization": f"Bearer {access}"}, timeout=30)
    assert out.status_code == 204
    assert "crm_refresh=;" in out.headers["Set-Cookie"] and "Max-Age=0" in out.headers["Set-Cookie"]
    again = requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/refresh", json={},
                          cookies={"crm_refresh": cookie}, timeout=30)
    assert again.status_code == 401


def test_logout_by_body_also_clears_the_cookie(stack, org):
    tokens = _post(stack, "/auth/login", {"username": "rep_b", "password": "rep_b-password"}).json()
    out = requests.post(f"http://127.0.0.1:{stack.gateway_port}/api/v1/auth/logout",
                        json={"refresh_token": tokens["refresh_token"]},
                        headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=30)
    assert out.status_code == 204 and "Max-Age=0" in out.headers["Set-Cookie"]
    assert _post(stack, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401
