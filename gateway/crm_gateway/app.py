"""The gateway's WSGI application: authenticate, authorise, then answer locally or by RPC."""
import json
import logging
import uuid

from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from crm_common import principal as principal_context
from crm_common.errors import BadRequest, Forbidden, InvalidInput, Unavailable
from crm_gateway import settings
from crm_gateway.identity.auth import Unauthorized
from crm_gateway.identity.tokens import InvalidToken, principal_from_access_token
from crm_gateway.problems import from_error, problem
from crm_gateway.routes import ROUTES, Route

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"


class CallContext:
    """What a route handler gets: the request, the verified principal, and an RPC helper."""

    def __init__(self, app: "GatewayApp", request: Request, params: dict, principal, request_id: str):
        self.request, self.params, self.principal = request, params, principal
        self.db = app.session_factory
        self._rpc = app.rpc
        self.request_id = request_id
        self.client_ip = request.remote_addr or "unknown"
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

    def call(self, service: str, method: str, args: list, timeout: float | None = None):
        context = {**principal_context.encode_context(self.principal), "correlation_id": self.request_id}
        return self._rpc.call(service, method, args, context, timeout)


class GatewayApp:
    def __init__(self, session_factory, rpc, broker_ping):
        self.session_factory, self.rpc, self._broker_ping = session_factory, rpc, broker_ping
        self.routes: dict[str, Route] = {}
        rules = []
        for index, route in enumerate(ROUTES):
            key = f"r{index}"
            self.routes[key] = route
            rules.append(Rule(API_PREFIX + route.path, methods=[route.method], endpoint=key))
        self.url_map = Map(rules, strict_slashes=False)

    def __call__(self, environ, start_response):
        request = Request(environ)
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        try:
            response = self.dispatch(request, request_id)
        except Exception as exc:  # every failure leaves as problem+json, never a traceback
            response = from_error(exc)
        response.headers["X-Request-ID"] = request_id
        return response(environ, start_response)

    def dispatch(self, request: Request, request_id: str) -> Response:
        if request.path == "/healthz":
            return _json({"status": "ok"})
        if request.path == "/readyz":
            return self.readiness()
        try:
            key, params = self.url_map.bind_to_environ(request.environ).match()
        except HTTPException as exc:
            return problem(exc.code, exc.name, exc.description or "")
        route = self.routes[key]
        limit = route.max_body or settings.MAX_BODY_BYTES
        if request.content_length and request.content_length > limit:
            return problem(413, "Content too large", f"Bodies are limited to {limit} bytes")
        principal = None if route.public else self.authenticate(request)
        if route.permission and not principal.has(route.permission):
            raise Forbidden(f"Missing permission {route.permission}")
        ctx = CallContext(self, request, params, principal, request_id)
        result = route.local(ctx) if route.local else self.proxy(route, ctx)
        if route.status == 204:
            return Response(status=204)
        if isinstance(result, Response):  # a route that streams or is not JSON (files, iCalendar)
            return result
        return _json(result, route.status)

    @staticmethod
    def authenticate(request: Request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("A Bearer access token is required")
        try:
            return principal_from_access_token(token.strip())
        except InvalidToken:
            raise Unauthorized("The access token is invalid or expired") from None

    @staticmethod
    def proxy(route: Route, ctx: CallContext):
        args = [ctx.params["id"]] if "id" in ctx.params else []
        if route.takes == "body":
            args.append(ctx.body())
        elif route.takes == "query":
            args.append(ctx.query())
        service, method = route.rpc.split(".")
        return ctx.call(service, method, args)

    def readiness(self) -> Response:
        problems = {}
        try:
            with self.session_factory() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # a probe reports, it does not raise
            problems["database"] = type(exc).__name__
        try:
            self._broker_ping()
        except Unavailable as exc:
            problems["broker"] = exc.detail
        return _json({"status": "unavailable" if problems else "ready", **problems}, 503 if problems else 200)


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")
