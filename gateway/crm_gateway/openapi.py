"""GET /api/v1/openapi.json (ADM-10): the public API as OpenAPI 3.1, assembled from the routes.

Request and answer schemas are the marshmallow schemas that validate and dump them: each service
describes the contracts of its RPCs (`describe_api`), the gateway describes its own routes, and this
module puts them on the paths the routes expose.
"""
import re
import time

from crm_common import principal as principal_context
from crm_common.api_contract import OPENAPI_VERSION, Contract, describe
from crm_common.config import SERVICES
from crm_common.errors import Unavailable

CACHE_SECONDS = 300  # services are redeployed without the gateway; their contracts may change
PROBLEM = {
    "type": "object", "required": ["type", "title", "status"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"},
                   "errors": {"type": "object", "description": "field name → messages"}},
}
SECURITY = [{"bearer": []}, {"apiKey": []}]
_PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
# The conventions the gateway applies to every route (app.py), described once and referred to.
PARAMETERS = {
    "IdempotencyKey": {
        "in": "header", "name": "Idempotency-Key", "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[\\x20-\\x7e]+$"},
        "description": "At most one effect per key and caller: a retry gets the first answer, status and body "
                       "(with `Idempotent-Replayed: true`); 409 while the first attempt still runs, 422 if the key "
                       "was used for another request. Kept 24 h."},
    "IfMatch": {
        "in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
        "description": "The ETag of the record as read: the change is refused with 412 if it changed since."},
}
HEADERS = {
    "ETag": {"description": "The record's version, for If-Match.", "schema": {"type": "string"}},
    "RetryAfter": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}},
    "IdempotentReplayed": {"description": "`true` when the answer is the stored one of an earlier request with "
                                          "this Idempotency-Key.", "schema": {"type": "string", "enum": ["true"]}},
}
_RETRY_AFTER = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}
RESPONSES = {
    "Unavailable": {"description": "A service or database is briefly unavailable; retry after the given seconds",
                    "headers": _RETRY_AFTER, "content": _PROBLEM_CONTENT},
    "TooManyRequests": {"description": "Rate limited; retry after the given seconds", "headers": _RETRY_AFTER,
                        "content": _PROBLEM_CONTENT},
    "PreconditionFailed": {"description": "If-Match named another version: the record changed since it was read",
                           "content": _PROBLEM_CONTENT},
}
MISSING = {"type": "array", "items": {"type": "string"}, "description": "branches that did not answer in time"}
_cache: dict = {}


def document(ctx, routes) -> dict:
    if _cache.get("expires", 0) < time.monotonic():
        _cache["doc"] = build(routes, _service_contracts(ctx))
        _cache["expires"] = time.monotonic() + CACHE_SECONDS
    return _cache["doc"]


def _service_contracts(ctx) -> dict[str, dict]:
    """Every branch runs the same code: the first branch that answers describes it."""
    ctx.principal = principal_context.NOBODY
    for branch in ctx.branches.clients:
        try:
            return {service: ctx.call(service, "describe_api", [], branch=branch) for service in SERVICES}
        except Unavailable:
            continue
    raise Unavailable("No branch could describe its services; try again shortly")


def openapi_path(path: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", path)


def _operation(route, described: dict | None, versioned: bool = False) -> dict:
    """`versioned`: the path is a record with a single read, so it has an ETag and its changes
    honour If-Match (app.py)."""
    names = re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route.path)
    conventions, keyed = [], route.method == "POST" and not route.public
    if keyed:
        conventions.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if versioned and route.method in ("PATCH", "PUT"):
        conventions.append({"$ref": "#/components/parameters/IfMatch"})
    operation = {
        "operationId": f"{route.method.lower()}{re.sub(r'[^A-Za-z0-9]+', '_', route.path)}".rstrip("_"),
        "tags": [route.path.strip("/").split("/")[0]],
        "parameters": [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
                       for name in names] + (described or {}).get("query", []) + conventions,
        "security": [] if route.public else SECURITY,
        "responses": {"default": {"description": "A problem (RFC 9457)", "content": _PROBLEM_CONTENT},
                      "429": {"$ref": "#/components/responses/TooManyRequests"},
                      "503": {"$ref": "#/components/responses/Unavailable"}},
    }
    if versioned and route.method in ("PATCH", "PUT"):
        operation["responses"]["412"] = {"$ref": "#/components/responses/PreconditionFailed"}
    if route.permission:
        operation["x-permission"] = route.permission
    if described is None:
        operation["x-undocumented"] = True  # the coverage test lists these
        return operation
    if described.get("raw_body"):
        operation["requestBody"] = {"required": True, "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    elif described.get("body"):
        operation["requestBody"] = {"required": route.method != "POST",
                                    "content": {"application/json": {"schema": described["body"]}}}
    if route.status == 204:
        operation["responses"][str(route.status)] = {"description": "Done"}
    else:
        answer = {"description": "OK"}
        if described.get("returns") is not None:
            answer["content"] = {described["media_type"]: {"schema": _across_branches(route, described["returns"])}}
        elif described["media_type"] != "application/json":
            answer["content"] = {media_type: {"schema": {"type": "string", "format": "binary"}}
                                 for media_type in described["media_type"].split(", ")}
        if versioned and route.method in ("GET", "PATCH", "PUT"):
            answer["headers"] = {"ETag": {"$ref": "#/components/headers/ETag"}}
        operation["responses"][str(route.status)] = answer
    if keyed:
        answer = operation["responses"][str(route.status)]
        answer["headers"] = {**answer.get("headers", {}),
                             "Idempotent-Replayed": {"$ref": "#/components/headers/IdempotentReplayed"}}
    return operation


def _across_branches(route, returns: dict) -> dict:
    """Head office (scope `all`, several branches) gets merged pages and per-branch reports."""
    if route.report:
        return {"anyOf": [returns, {"type": "object", "required": ["branches", "missing_branches"], "properties": {
            "branches": {"type": "object", "additionalProperties": returns}, "missing_branches": MISSING}}]}
    if returns.get("required") == ["items"]:  # a page
        return {**returns, "properties": {**returns["properties"], "missing_branches": MISSING}}
    return returns


def _service_operation(service_contracts: dict, name: str) -> dict | None:
    service, _, method = name.partition(".")
    return service_contracts.get(service, {}).get("operations", {}).get(method)


def build(routes, service_contracts: dict[str, dict]) -> dict:
    local = {f"{r.method} {r.path}": r.contract for r in routes if isinstance(r.contract, Contract)}
    gateway = describe("gateway", local)
    schemas = {"Problem": PROBLEM, **gateway["schemas"]}
    for described in service_contracts.values():
        schemas.update(described["schemas"])
    paths: dict = {}
    # as app.py finds them: a record's single read gives ETags and guards its updates
    versioned = {r.path for r in routes if r.method == "GET" and r.path.endswith("/<id>") and r.rpc}
    for route in routes:
        if isinstance(route.contract, Contract):
            described = gateway["operations"][f"{route.method} {route.path}"]
            if isinstance(route.contract.returns, str):  # a local route passing on a service's answer
                passed_on = _service_operation(service_contracts, route.contract.returns) or {}
                described = {**described, "returns": passed_on.get("returns")}
        else:
            described = _service_operation(service_contracts, route.contract or route.rpc or "")
        paths.setdefault("/api/v1" + openapi_path(route.path), {})[route.method.lower()] = \
            _operation(route, described, route.path in versioned)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "CRM suite", "version": "1",
                 "description": "Errors are application/problem+json; lists are keyset pages."},
        "paths": paths,
        "components": {"schemas": schemas, "parameters": PARAMETERS, "headers": HEADERS, "responses": RESPONSES,
                       "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "Authorization",
                       "description": "Authorization: ApiKey <key>"}}},
    }
