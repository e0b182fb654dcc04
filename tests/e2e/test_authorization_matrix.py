"""Every route × who is calling (ADM-03, ADM-04).

Generic part: every route refuses anonymous callers (401) and callers without its permission (403),
and every route either names its permission or is on the short list below of routes any
signed-in user may call; a new route with neither fails this test. Record part: the core
resources × {own record, same department, other department, no permission}; other branches are
covered by test_branches.py.
"""
import re
import uuid

import pytest

from crm_gateway.routes import ROUTES

pytestmark = pytest.mark.e2e
ANY_SIGNED_IN = {  # the service decides inside (own approvals, dispatched field-service orders, …)
    ("POST", "/auth/logout"), ("POST", "/auth/password"), ("GET", "/me"), ("GET", "/dictionaries"),
    ("GET", "/dictionaries/<kind>"), ("GET", "/regions"), ("GET", "/regions/<code>"),
    ("GET", "/phone-regions/<number>"), ("GET", "/approvals"), ("GET", "/approvals/<id>"),
    ("GET", "/field-service-orders"), ("GET", "/field-service-orders/<id>"), ("GET", "/categories"),
    ("GET", "/dashboard"),
}
SAMPLE = {"kind": "industry", "code": "110000", "number": "13800138000", "service": "sales"}


def _path(route) -> str:
    return re.sub(r"<([a-z_]+)>", lambda m: SAMPLE.get(m.group(1), str(uuid.uuid4())), route.path)


def test_every_route_names_its_permission_or_is_listed():
    unnamed = {(r.method, r.path) for r in ROUTES if not r.public and r.permission is None}
    assert unnamed == ANY_SIGNED_IN


@pytest.fixture(scope="module")
def nobody(admin, org, helpers):
    department = org["departments"]["Sales West"]["id"]
    admin.post("/users", json={"code": "nobody", "name": "No roles", "department_id": department,
                               "password": "nobody-password", "role_ids": []})
    return helpers.login("nobody", "nobody-password")


def test_every_route_refuses_anonymous_and_unpermitted_callers(anonymous, nobody):
    wrong = []
    for route in ROUTES:
        if route.public:
            continue
        path = _path(route)
        kwargs = {"json": {}} if route.method in ("POST", "PATCH", "PUT") else {}
        status = anonymous.request(route.method, path, **kwargs).status_code
        if status != 401:
            wrong.append(f"anonymous {route.method} {route.path}: {status}")
        if route.permission:
            status = nobody.request(route.method, path, **kwargs).status_code
            if status != 403:
                wrong.append(f"no permission {route.method} {route.path}: {status}")
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def records(rep_a, manager_a, product):
    customer = rep_a.post("/customers", json={"name": f"矩阵客户 {uuid.uuid4().hex[:6]}"}).json()
    order = rep_a.post("/orders", json={"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    return {"customer": customer["id"], "order": order["id"]}


# who → expected status; rep_a owns the records, manager_a heads the same department (scope
# department), rep_b sits in another department (scope own), nobody has no permission.
MATRIX = [
    ("GET", "/customers/{customer}", None, {"rep_a": 200, "manager_a": 200, "rep_b": 404, "nobody": 403}),
    ("PATCH", "/customers/{customer}", {"industry": "x"},
     {"rep_a": 200, "manager_a": 200, "rep_b": 404, "nobody": 403}),
    ("GET", "/customers/{customer}/contacts", None, {"rep_a": 200, "manager_a": 200, "rep_b": 404, "nobody": 403}),
    ("GET", "/orders/{order}", None, {"rep_a": 200, "manager_a": 200, "rep_b": 404, "nobody": 403}),
    ("PATCH", "/orders/{order}", {"notes": "x"}, {"rep_a": 422, "manager_a": 422, "rep_b": 422, "nobody": 403}),
    ("POST", "/orders/{order}/approve", {}, {"rep_a": 403, "rep_b": 403, "nobody": 403}),
]


@pytest.mark.parametrize("method,template,body,expected", MATRIX, ids=[f"{m} {t}" for m, t, _, _ in MATRIX])
def test_record_matrix(method, template, body, expected, records, rep_a, manager_a, rep_b, nobody):
    callers = {"rep_a": rep_a, "manager_a": manager_a, "rep_b": rep_b, "nobody": nobody}
    path = template.format(**records)
    got = {who: callers[who].request(method, path, **({"json": body} if body is not None else {})).status_code
           for who in expected}
    assert got == expected
