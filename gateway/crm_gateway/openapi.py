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


def _operation(route, described: dict | None) -> dict:
    names = re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", route.path)
    operation = {
        "operationId": f"{route.method.lower()}{re.sub(r'[^A-Za-z0-9]+', '_', route.path)}".rstrip("_"),
        "tags": [route.path.strip("/").split("/")[0]],
        "parameters": [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
                       for name in names] + (described or {}).get("query", []),
        "security": [] if route.public else SECURITY,
        "responses": {"default": {"description": "A problem (RFC 9457)", "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
    }
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
            answer["content"] = {described["media_type"]: {"schema": {"type": "string", "format": "binary"}}}
        operation["responses"][str(route.status)] = answer
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
    for route in routes:
        if isinstance(route.contract, Contract):
            described = gateway["operations"][f"{route.method} {route.path}"]
            if isinstance(route.contract.returns, str):  # a local route passing on a service's answer
                passed_on = _service_operation(service_contracts, route.contract.returns) or {}
                described = {**described, "returns": passed_on.get("returns")}
        else:
            described = _service_operation(service_contracts, route.contract or route.rpc or "")
        paths.setdefault("/api/v1" + openapi_path(route.path), {})[route.method.lower()] = \
            _operation(route, described)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "CRM suite", "version": "1",
                 "description": "Errors are application/problem+json; lists are keyset pages."},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "Authorization",
                       "description": "Authorization: ApiKey <key>"}}},
    }
