"""Hostile input against the whole API (figures in docs/security.md).

Each probe family runs many attempts and asserts every one is refused with the right status and
nothing leaks: no 5xx, no stack trace, no row written.
"""
import base64
import json
import socket
import time

import jwt
import pytest

from crm_gateway.routes import ROUTES

pytestmark = pytest.mark.e2e
INJECTIONS = ["' OR '1'='1", "1; DROP TABLE customers; --", "\" OR \"\"=\"", "%' --", "') OR ('a'='a",
              "1 UNION SELECT password_hash FROM users", "${jndi:ldap://x}", "<script>alert(1)</script>",
              "\x00", "../../etc/passwd", "name:asc,(select 1)", "-created_at;select pg_sleep(5)"]
LIST_ROUTES = [r for r in ROUTES if r.method == "GET" and r.takes == "query" and "<" not in r.path]


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forged_tokens(secret: str) -> list[str]:
    now = int(time.time())
    good = {"sub": "00000000-0000-0000-0000-000000000001", "iss": "crm-gateway", "aud": "crm-api", "iat": now,
            "exp": now + 60, "usr": "x", "dep": "/", "br": "HQ", "scp": "all", "prm": ["customers.read"]}
    valid = jwt.encode(good, secret, algorithm="HS256")
    header, payload, signature = valid.split(".")
    return [
        f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        jwt.encode(good, "not-the-key-not-the-key-not-the-key!", algorithm="HS256"),
        jwt.encode({**good, "exp": now - 5}, secret, algorithm="HS256"),
        jwt.encode({**good, "aud": "someone-else"}, secret, algorithm="HS256"),
        jwt.encode({**good, "iss": "evil"}, secret, algorithm="HS256"),
        f"{header}.{_b64({**good, 'prm': ['admin.users']})}.{signature}",  # tampered payload
        jwt.encode(good, secret, algorithm="HS512"),
        "", "Bearer", "a.b.c", valid + "x",
    ]


def test_forged_tokens_are_all_refused(stack, anonymous, helpers):
    from stack import local_secrets
    tokens = _forged_tokens(local_secrets()["CRM_JWT_SECRET"])
    statuses = [anonymous.get("/customers", headers={"Authorization": f"Bearer {t}"}).status_code for t in tokens]
    assert statuses == [401] * len(tokens)


EVENT_FED = (".processed_events", ".outbox", ".dead_letters", "workspace.notifications", "workspace.reminders")


def _counts(helpers):
    """Row counts, minus tables that earlier tests' events may still be filling."""
    return {k: v for k, v in helpers.table_counts().items() if not k.endswith(EVENT_FED)}


def test_injection_strings_in_every_filter_and_sort_of_every_list(rep_a, helpers):
    before = _counts(helpers)
    answers = {}
    for route in LIST_ROUTES:
        for value in INJECTIONS:
            for param in ("sort", "name", "status", "cursor", "limit", "customer_id", "order_id"):
                response = rep_a.get(route.path, params={param: value})
                answers.setdefault(response.status_code, 0)
                answers[response.status_code] += 1
                assert response.status_code < 500, (route.path, param, value, response.text)
                assert "Traceback" not in response.text and "psycopg" not in response.text
    assert set(answers) <= {200, 400, 403, 422}
    assert _counts(helpers) == before


def test_header_injection_and_oversized_bodies(rep_a):
    for hostile in ("abc; Set-Cookie: pwned=1", "x" * 500, "id with spaces", "<script>"):
        response = rep_a.get("/customers", headers={"X-Request-ID": hostile})
        assert response.status_code == 200 and response.headers["X-Request-ID"] != hostile
        assert "Set-Cookie" not in response.headers
    huge = rep_a.post("/customers", data=b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}',
                      headers={"Content-Type": "application/json"})
    assert huge.status_code == 413


def test_brute_force_login_is_throttled(stack, anonymous, admin, org):
    department = org["departments"]["Sales West"]["id"]
    admin.post("/users", json={"code": "target", "name": "Target", "department_id": department,
                               "password": "target-password-ok", "role_ids": []})
    statuses = [anonymous.post("/auth/login", json={"username": "target", "password": f"guess-{i}"}).status_code
                for i in range(20)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}


def test_sub_records_under_a_customer_out_of_scope_answer_like_missing_ones(rep_a, rep_b):
    customer = rep_a.post("/customers", json={"name": "Oracle Co", "confirm_duplicate": True}).json()
    contact = rep_a.post(f"/customers/{customer['id']}/contacts", json={"name": "陈经理"}).json()
    interaction = rep_a.post(f"/customers/{customer['id']}/interactions",
                             json={"kind": "call", "summary": "first call"}).json()
    missing = "00000000-0000-4000-8000-000000000000"
    probes = {"/contacts/{}": ("PATCH", contact["id"], {"title": "x"}),
              "/interactions/{}/copy": ("POST", interaction["id"], {})}
    for path, (method, hidden_id, body) in probes.items():
        hidden = rep_b.request(method, path.format(hidden_id), json=body)
        absent = rep_b.request(method, path.format(missing), json=body)
        assert hidden.status_code == absent.status_code == 404, path
        assert hidden.json() == absent.json(), path


def test_an_over_long_url_gets_a_problem_414(rep_a):
    response = rep_a.get("/customers", params={"q": "x" * 8192})
    assert response.status_code == 414
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 414


def _raw_answer(stack, request: bytes) -> tuple[int, bytes, dict]:
    """(status, head, problem body) of what the gateway answers to these bytes on a real socket."""
    with socket.create_connection(("127.0.0.1", stack.gateway_port), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"Content-Type: application/problem+json" in head, answer[:500]
    status = int(head.split()[1])
    assert json.loads(body)["status"] == status
    return status, head, json.loads(body)


def test_a_request_line_the_http_server_refuses_itself_gets_problem_json(stack):
    for line in (b"GARBAGE\r\n\r\n", b"GET /api/v1/me HTTP/9.9\r\n\r\n"):
        assert _raw_answer(stack, line)[0] in (400, 505)


def test_request_lines_and_headers_beyond_the_http_servers_limits_get_problem_json(stack):
    """What eventlet refuses before the application sees it: a request line of 1 MiB and more, a
    header line of 8 KiB, all headers beyond 64 KiB, a Content-Length that is no number."""
    huge_url = b"GET /api/v1/customers?q=" + b"x" * (1024 * 1024 + 10) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    status, _, problem = _raw_answer(stack, huge_url)
    assert status == 414 and "request line" in problem["detail"]
    long_header = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 9000 + b"\r\n\r\n"
    assert _raw_answer(stack, long_header)[0] == 431
    many_headers = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n" + b"".join(
        b"X-H%d: %s\r\n" % (i, b"z" * 4000) for i in range(20)) + b"\r\n"
    assert _raw_answer(stack, many_headers)[0] == 431
    bad_length = b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"
    assert _raw_answer(stack, bad_length)[0] == 400
