"""The gateway's WSGI application: authenticate, authorise, then answer locally or by RPC."""
import json
import logging
import re
import time
import uuid

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from crm_common import principal as principal_context
from crm_common.logs import correlation_id
from crm_common.errors import BadRequest, CrmError, Forbidden, InvalidInput
from crm_gateway import conditional, console, fanout, idempotency, metrics, operation_log, settings
from crm_gateway.identity.auth import Unauthorized
from crm_gateway.identity import api_keys
from crm_gateway.dictionary import PickCache
from crm_gateway.identity.revocation import RevocationList
from crm_gateway.rate_limit import RateLimiter
from crm_gateway.identity.tokens import InvalidToken, decode_access_token
from crm_gateway.problems import from_error, problem
from crm_gateway.proxies import PROXIED, TrustedProxies
from crm_gateway.routes import ROUTES, Route
from crm_gateway.rpc_client import JsonBytes

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class CallContext:
    """What a route handler gets: the request, the verified principal, and an RPC helper."""

    def __init__(self, app: "GatewayApp", request: Request, params: dict, principal, request_id: str):
        self.request, self.params, self.principal = request, params, principal
        self.db = app.session_factory
        self.branches = app.branches
        self.picks = app.picks  # the dictionary's pick lists, for calls that check them
        self.request_id = request_id
        self.client_ip = client_address(request)
        self.idempotency_key: str | None = None  # a keyed POST: every RPC it makes carries the key
        self.request_hash = ""
        self.made_rpc = False  # a 5xx after an RPC leaves the outcome unknown to the gateway
        self.entry = None  # the operation log line of a write, if any
        self._body = None

    def body(self) -> dict:
        if self._body is None:
            raw = self.request.get_data(cache=True)
            if not raw.strip():
                self._body = {}
            else:
                try:
                    self._body = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    raise BadRequest("Malformed JSON body") from None
                if not isinstance(self._body, dict):
                    raise InvalidInput("The body must be a JSON object", {"_schema": ["Expected an object."]})
        return self._body

    def query(self) -> dict:
        return self.request.args.to_dict()

    def call(self, service: str, method: str, args: list, timeout: float | None = None, branch: str | None = None,
             as_json: bool = False):
        """Call a service of `branch` (by default the caller's own); `as_json`: see RpcClient.call."""
        context = {**principal_context.encode_context(self.principal), "correlation_id": self.request_id}
        if self.idempotency_key:
            # the service records the answer with the effect; the target keeps the calls that RPC
            # makes to other services (same context) from being taken for the keyed request
            context.update(idempotency_key=self.idempotency_key, idempotency_target=f"{service}.{method}",
                           request_hash=self.request_hash)
        self.made_rpc = True
        client = self.branches.client(branch or self.principal.branch)
        return client.call(service, method, args, context, timeout, as_json)


class GatewayApp:
    def __init__(self, session_factory, branches):
        self.session_factory, self.branches = session_factory, branches
        self.revocations = RevocationList(session_factory)
        self.picks = PickCache(session_factory)
        self.rate_limiter = RateLimiter()
        self.proxies = TrustedProxies.from_env()
        # single-resource reads, by path: they give ETags and check If-Match for their updates
        self.readers = {r.path: r for r in ROUTES if r.method == "GET" and r.path.endswith("/<id>") and r.rpc}
        self.routes: dict[str, Route] = {}
        rules = []
        for index, route in enumerate(ROUTES):
            key = f"r{index}"
            self.routes[key] = route
            rules.append(Rule(API_PREFIX + route.path, methods=[route.method], endpoint=key))
        # Bound once: no rule names a host, and binding per request (host, scheme, script name from
        # the environ) cost as much as the match. The host only shows in the Location of a
        # redirect, and a redirect is answered as a problem without one.
        self.urls = Map(rules, strict_slashes=False).bind("gateway")

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        self.proxies.resolve(environ)
        request = Request(environ)
        request_id = request.headers.get("X-Request-ID", "")
        if not REQUEST_ID.match(request_id):  # it is echoed and logged: only a safe, short token
            request_id = uuid.uuid4().hex
        log_token = correlation_id.set(request_id)
        entry, route = None, None
        try:
            if len(request.full_path) > settings.MAX_URL_BYTES:
                raise UriTooLong(f"The URL is limited to {settings.MAX_URL_BYTES} bytes")
            route, params = self.match(request)
            if route is None:
                response = params
            else:
                if request.method in operation_log.WRITE_METHODS:
                    entry = operation_log.PendingEntry(action=f"{route.method} {route.path}", correlation_id=request_id,
                                                       client_ip=client_address(request),
                                                       target_id=params.get("id"))
                response = self.dispatch(request, request_id, route, params, entry)
        except Exception as exc:  # every failure leaves as problem+json, never a traceback
            response = from_error(exc)
        if entry is not None:
            self.record(entry, response.status_code)
        response.headers["X-Request-ID"] = request_id
        self.proxies.secure_headers(environ, response.headers)
        if route is not None:
            metrics.HTTP_SECONDS.labels(route.method, route.path, response.status_code).observe(
                time.perf_counter() - started)
        correlation_id.reset(log_token)
        return response(environ, start_response)

    def match(self, request: Request):
        """(route, path params), or (None, a ready response) for probes and unknown paths."""
        if request.path in INTERNAL_PATHS and request.environ.get(PROXIED):
            # the ingress publishes `/` for the console; what is for the cluster stays in it
            return None, problem(404, "Not found", "No such page")
        if request.path == "/healthz":
            return None, _json({"status": "ok"})
        if request.path == "/readyz":
            return None, self.readiness()
        if request.path == "/metrics":
            return None, Response(generate_latest(metrics.REGISTRY), content_type=CONTENT_TYPE_LATEST)
        if request.path != API_PREFIX and not request.path.startswith(API_PREFIX + "/"):
            return None, console.serve(request)
        try:
            key, params = self.urls.match(request.path, request.method)
        except HTTPException as exc:
            return None, problem(exc.code, exc.name, exc.description or "")
        return self.routes[key], params

    def dispatch(self, request: Request, request_id: str, route: Route, params: dict, entry) -> Response:
        limit = route.max_body or settings.MAX_BODY_BYTES
        if request.content_length and request.content_length > limit:
            return problem(413, "Content too large", f"Bodies are limited to {limit} bytes")
        principal, caller = (None, f"ip:{client_address(request)}") if route.public \
            else self.authenticate(request, route)
        self.rate_limiter.check(caller)
        if entry is not None:
            entry.principal = principal
        if route.permission and not principal.has(route.permission):
            raise Forbidden(f"Missing permission {route.permission}")
        ctx = CallContext(self, request, params, principal, request_id)
        ctx.entry = entry
        key = request.headers.get(idempotency.HEADER)
        if request.method != "POST" or key is None or principal is None:
            return self.run(route, ctx, entry)
        key = idempotency.validate_key(key)
        digest = idempotency.request_hash(request.method, request.path, request.get_data(cache=True))
        stored = idempotency.claim(self.session_factory, caller, key, digest)
        if stored is not None:
            response = _json(stored[1], stored[0]) if stored[0] != 204 else Response(status=204)
            if stored[0] >= 400:  # a recorded refusal is replayed as what it was: a problem
                response.content_type = "application/problem+json"
            response.headers["Idempotent-Replayed"] = "true"
            return response
        ctx.idempotency_key, ctx.request_hash = f"{caller}:{key}", digest
        if route.local:
            return self.run_recorded(route, ctx, entry, caller, key)
        response = self.run_answering(route, ctx, entry)
        idempotency.finish(self.session_factory, caller, key, response.status_code, _body_of(response),
                           outcome_known=not ctx.made_rpc)
        return response

    def run_answering(self, route: Route, ctx: CallContext, entry) -> Response:
        try:
            return self.run(route, ctx, entry)
        except Exception as exc:  # the answer, error or not, is what a retry must get back
            return from_error(exc)

    def run_recorded(self, route: Route, ctx: CallContext, entry, caller: str, key: str) -> Response:
        """A keyed request to a route of the gateway's own: its effect and its answer in one
        transaction of the gateway database (idempotency.recorded)."""
        committed, outcome_known = False, True
        try:
            with idempotency.recorded(self.session_factory, caller, key) as work:
                ctx.db = work.db
                response = self.run_answering(route, ctx, entry)
                work.answer(caller, key, response.status_code, _body_of(response))
            committed = work.stored
        except Exception as exc:  # the commit failed: whether it happened is for the retry to find out
            response, outcome_known = from_error(exc), False
        if committed:
            if route.revokes_tokens:  # now that the revocation is committed, not before
                self.revocations.invalidate()
            if route.changes_dictionary:
                self.picks.invalidate()
            return response
        idempotency.finish(self.session_factory, caller, key, response.status_code, None,
                           outcome_known=outcome_known and not ctx.made_rpc)
        return response

    def run(self, route: Route, ctx: CallContext, entry) -> Response:
        if_match = ctx.request.headers.get("If-Match")
        if if_match and route.method in ("PATCH", "PUT") and route.path in self.readers:
            conditional.check_if_match(if_match, self.proxy(self.readers[route.path], ctx))
        result = route.local(ctx) if route.local else self.proxy(route, ctx)
        if route.revokes_tokens:
            self.revocations.invalidate()
        if route.changes_dictionary:
            self.picks.invalidate()
        if entry is not None and entry.target_id is None and isinstance(result, dict):
            entry.target_id = result.get("id")
        if isinstance(result, Response):  # streams, is not JSON (files, iCalendar) or sets cookies
            return result
        if route.status == 204:
            return Response(status=204)
        response = _json(result, route.status)
        if route.path in self.readers and route.method in ("GET", "PATCH", "PUT"):
            response.headers["ETag"] = conditional.etag_of(result)
        return response

    def record(self, entry, status: int) -> None:
        try:
            operation_log.record(self.session_factory, entry, status)
        except Exception:  # the change already happened; losing its log line must not hide that
            log.exception("could not write the operation log entry for %s", entry.correlation_id)

    def authenticate(self, request: Request, route: Route):
        """(principal, caller id for rate limiting)"""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "apikey" and token:
            return self.authenticate_key(token.strip(), route)
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("A Bearer access token or an ApiKey is required")
        try:
            access = decode_access_token(token.strip())
        except InvalidToken:
            raise Unauthorized("The access token is invalid or expired") from None
        if self.revocations.is_revoked(access.principal.user_id, access.issued_ms, access.session_id):
            raise Unauthorized("The access token was revoked; please log in again")
        return access.principal, access.principal.user_id

    def authenticate_key(self, key: str, route: Route):
        try:
            principal, read_only, key_id = api_keys.principal_for(self.session_factory, key)
        except api_keys.KeyRefused:
            raise Unauthorized("The API key is invalid, expired or revoked") from None
        if read_only and route.method != "GET":
            raise Forbidden("This API key is read-only")
        if route.local and (route.path.startswith("/auth/") or route.path == "/me"):
            raise Forbidden("API keys cannot manage sessions")
        return principal, f"key:{key_id}"

    def proxy(self, route: Route, ctx: CallContext):
        args = [ctx.params["id"]] if "id" in ctx.params else []
        if route.takes == "body":
            args.append(ctx.body())
            if route.picks:
                args.append(ctx.picks.current())
        service, method = route.rpc.split(".")
        spans_all = self.branches.spans_all(ctx.principal, route.permission)
        if route.takes == "query":
            if spans_all and not args:
                def call(branch, query):
                    return ctx.call(service, method, [query], fanout.FANOUT_TIMEOUT, branch)
                if route.report:
                    return fanout.each_branch(self.branches.clients, call, ctx.query())
                return fanout.list_across(self.branches.clients, call, ctx.query(), route.default_sort)
            args.append(ctx.query())
        if spans_all and "id" in ctx.params:
            return fanout.first_found(self.branches.clients,
                                      lambda branch: ctx.call(service, method, args, fanout.FANOUT_TIMEOUT, branch))
        # a read whose answer the gateway does not look into (no ETag) goes out as the service wrote it
        return ctx.call(service, method, args, as_json=route.method == "GET" and route.path not in self.readers)

    def readiness(self) -> Response:
        problems = {}
        try:
            with self.session_factory() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # a probe reports, it does not raise
            problems["database"] = type(exc).__name__
        down = self.branches.unreachable()
        if len(down) == len(self.branches.clients):
            problems["broker"] = "unreachable"
        # One branch down must not take the gateway out of service for the others: report it only.
        body = {"status": "unavailable" if problems else "ready", **problems, "unreachable_branches": down}
        return _json(body, 503 if problems else 200)


INTERNAL_PATHS = {"/healthz", "/readyz", "/metrics"}


class UriTooLong(CrmError):
    status, title = 414, "URI too long"


def client_address(request: Request) -> str:
    """The socket's peer, which `TrustedProxies.resolve` has already replaced by the client's
    address when the peer is a trusted proxy (proxies.py)."""
    return request.remote_addr or "unknown"


def _body_of(response: Response):
    return json.loads(response.get_data()) if response.get_data() else None


def _json(body, status: int = 200) -> Response:
    # a list of one bytes, passed through: werkzeug's iterator around it cost more than the routing
    return Response(_encoded(body), status=status, content_type="application/json", direct_passthrough=True)


def _encoded(body) -> bytes:
    """The JSON answer in UTF-8, by orjson: the stdlib's `json.dumps(ensure_ascii=False)` took a
    third of the gateway's CPU for a page of 50 customers."""
    if isinstance(body, JsonBytes):
        return body.raw
    try:
        return orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # what orjson refuses and the stdlib writes: an int beyond 64 bits
        return json.dumps(body, ensure_ascii=False).encode()
