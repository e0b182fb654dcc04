"""The public API description (ADM-10): GET /api/v1/openapi.json covers every route, and Schemathesis,
generating requests from it, finds no server error and no answer that breaks the document."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from crm_gateway.routes import ROUTES
from crm_gateway.openapi import openapi_path
from stack import Stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def document(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200, response.text
    return response.json()


def _operation(document, route) -> dict | None:
    return document["paths"].get("/api/v1" + openapi_path(route.path), {}).get(route.method.lower())


def test_every_route_is_described(document):
    missing, undocumented = [], []
    for route in ROUTES:
        operation = _operation(document, route)
        if operation is None:
            missing.append(f"{route.method} {route.path}")
            continue
        gaps = []
        if operation.get("x-undocumented"):
            gaps.append(f"no contract for {route.contract or route.rpc}")
        else:
            if route.takes == "body" and "requestBody" not in operation:
                gaps.append("no request body")
            if route.takes == "query" and not any(p["in"] == "query" for p in operation["parameters"]):
                gaps.append("no query parameters")
            answer = operation["responses"].get(str(route.status), {})
            if route.status != 204 and "content" not in answer and route.path != "/openapi.json":
                gaps.append("no answer schema")
        if gaps:
            undocumented.append(f"{route.method} {route.path}: {', '.join(gaps)}")
    assert not missing, "\n".join(missing)
    assert not undocumented, f"{len(undocumented)} routes:\n" + "\n".join(undocumented)


def test_the_document_names_only_existing_routes(document):
    described = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    routes = {(r.method, "/api/v1" + openapi_path(r.path)) for r in ROUTES}
    assert described == routes


def test_every_reference_resolves(document):
    text = str(document)
    for kind in ("schemas", "parameters", "headers", "responses"):
        defined = document["components"][kind]
        refs = set(re.findall(rf"#/components/{kind}/([A-Za-z0-9._-]+)", text))
        assert refs and refs <= set(defined), (kind, sorted(refs - set(defined)))


def _refs(items) -> set:
    return {item.get("$ref", "").rsplit("/", 1)[-1] for item in items}


def test_the_headers_the_gateway_honours_are_described_where_it_honours_them(document):
    """Idempotency-Key on authenticated POSTs, If-Match (and 412) on changes of a record with a
    single read, ETag on its answers, Retry-After on 503 and 429 everywhere."""
    paths = document["paths"]
    order, orders = paths["/api/v1/orders/{id}"], paths["/api/v1/orders"]
    assert "IdempotencyKey" in _refs(orders["post"]["parameters"])
    assert "Idempotent-Replayed" in orders["post"]["responses"]["201"]["headers"]
    assert "IdempotencyKey" not in _refs(paths["/api/v1/auth/login"]["post"]["parameters"])  # public: no caller
    assert "IdempotencyKey" not in _refs(order["patch"]["parameters"])
    assert "IfMatch" in _refs(order["patch"]["parameters"]) and "412" in order["patch"]["responses"]
    assert "ETag" in order["get"]["responses"]["200"]["headers"]
    assert "ETag" in order["patch"]["responses"]["200"]["headers"]
    assert "IfMatch" not in _refs(paths["/api/v1/customer-pool/settings"]["put"]["parameters"])  # no single read
    retried = {"429": "#/components/responses/TooManyRequests", "503": "#/components/responses/Unavailable"}
    for path, item in paths.items():
        for method, operation in item.items():
            assert {status: operation["responses"][status]["$ref"] for status in retried} == retried, (method, path)
    for name in ("Unavailable", "TooManyRequests"):
        assert "Retry-After" in document["components"]["responses"][name]["headers"]


def test_request_schemas_are_the_validating_ones(admin, document):
    """A field the document does not list is refused by the service: the two are the same schema."""
    body = document["paths"]["/api/v1/products"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    product_in = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert product_in["additionalProperties"] is False
    payload = {"code": "OA-1", "name": "Described", "list_price": "10.00", "not_in_the_document": 1}
    response = admin.post("/products", json=payload)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"not_in_the_document"}
    assert set(product_in["required"]) == {"code", "name", "list_price"}
    response = admin.post("/products", json={"code": "OA-2"})
    assert response.status_code == 422 and set(response.json()["errors"]) == {"name", "list_price"}


@pytest.fixture(scope="module")
def fuzzed_stack(stack):
    """Schemathesis creates and changes records at random: it gets a suite of its own."""
    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))
    suite = Stack(db_prefix=f"crm_fz{slot}_", vhost=f"crm-fz{slot}", gateway_port=18090 + 200 * slot,
                  health_base=18190 + 200 * slot, log_dir=stack.log_dir / "fuzz",
                  extra_env={"CRM_ADMIN_PASSWORD": "fuzz-admin-password", "CRM_RATE_LIMIT_PER_MINUTE": "1000000",
                             "CRM_RPC_TIMEOUT_SECONDS": "30"})
    suite.prepare(fresh=True)
    suite.start_all()
    yield suite
    suite.stop_all()


def test_schemathesis_finds_no_server_error_and_no_broken_answer(fuzzed_stack, tmp_path):
    base = f"http://127.0.0.1:{fuzzed_stack.gateway_port}/api/v1"
    token = requests.post(f"{base}/auth/login", json={"username": "admin", "password": "fuzz-admin-password"},
                          timeout=30).json()["access_token"]
    command = [
        str(Path(sys.executable).parent / "st"), "run", f"{base}/openapi.json",
        "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
        "--header", f"Authorization: Bearer {token}",
        # logging out or changing the password would end the run's own session
        "--exclude-path-regex", "^/api/v1/auth/(logout|password)$",
        "--max-examples", os.environ.get("CRM_FUZZ_EXAMPLES", "5"), "--seed", "20261127",
        "--workers", "2", "--phases", "examples,coverage,fuzzing", "--no-shrink",
        "--request-timeout", "30", "--report", "junit", "--report-dir", str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]


def test_head_office_merges_lists_by_a_field_every_item_carries(document):
    """A list merged across branches is ordered by its route's default sort: the items must carry it."""
    schemas, wrong = document["components"]["schemas"], []
    for route in ROUTES:
        if route.method != "GET" or route.takes != "query" or "<" in route.path:
            continue
        answer = _operation(document, route)["responses"].get("200", {}).get("content", {})
        if "application/json" not in answer:
            continue  # undescribed: test_every_route_is_described names it
        answer = answer["application/json"]["schema"]
        is_page = "items" in answer.get("properties", {}) and "next_cursor" in answer.get("properties", {})
        if route.report == is_page:
            wrong.append(f"{route.path}: report={route.report} but the answer is {'a' if is_page else 'no'} page")
            continue
        if is_page:
            item = schemas[answer["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]]
            missing = {"id", route.default_sort.lstrip("-")} - set(item["properties"])
            if missing:
                wrong.append(f"{route.path}: items lack {sorted(missing)}")
    assert not wrong, "\n".join(wrong)
