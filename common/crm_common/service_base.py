"""What every service has besides its domain: health probes and the dead-letter desk."""
import json

from nameko.extensions import DependencyProvider
from nameko.web.handlers import http
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import select, text, update

from crm_common import api_contract, metrics, remote_errors  # noqa: F401 (registers errors with Nameko)
from crm_common.broker import DEFAULT_EXCHANGE, Broker
from crm_common.database import PLUMBING, Database
from crm_common.errors import Conflict, NotFound
from crm_common.events.handlers import ATTEMPTS_HEADER
from crm_common.metrics import WorkerObserver
from crm_common.principal import CallerPrincipal
from crm_common.rpc import rpc

__all__ = ["ServiceBase", "rpc"]
ADMIN_EVENTS = "admin.events"


def _health_response(status: int, body: dict):
    return status, {"Content-Type": "application/json"}, json.dumps(body)


class Plumbing(DependencyProvider):
    """Gives entrypoints the process-wide database and broker extensions."""

    database = Database()
    broker = Broker()

    def get_dependency(self, worker_ctx):
        return self


class ServiceBase:
    """Mix into every Nameko service class (which must define `name`)."""

    # RPCs whose schemas depend on an argument (a record kind, a workflow step) name each variant
    # "method:argument"; gateway routes that fix the argument refer to it.
    contract_variants: dict = {}
    plumbing = Plumbing()
    principal = CallerPrincipal()
    observer = WorkerObserver()

    @http("GET", "/healthz")
    def healthz(self, request):
        return _health_response(200, {"status": "ok", "service": self.name})

    @http("GET", "/metrics")
    def metrics(self, request):
        # Nameko wants a str payload: bytes became a 500 whose body merely quoted the metrics
        body = metrics.render(self.name, self.plumbing.database.session_factory).decode()
        return 200, {"Content-Type": CONTENT_TYPE_LATEST}, body

    @http("GET", "/readyz")
    def readyz(self, request):
        problems = {}
        try:
            with self.plumbing.database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # a probe reports, it does not raise
            problems["database"] = type(exc).__name__
        try:
            self.plumbing.broker.ping()
        except Exception as exc:
            problems["broker"] = type(exc).__name__
        return _health_response(503 if problems else 200,
                                {"status": "unavailable" if problems else "ready", **problems})

    @rpc
    def ping(self):
        """The RPC path alone, no database: what the one-hop benchmark measures."""
        return {"service": self.name}

    @rpc
    def describe_api(self):
        """The contracts of this service's RPCs, for the gateway's OpenAPI document. Public facts."""
        return api_contract.describe(self.name, {**api_contract.contracts_of(type(self)), **self.contract_variants})

    @rpc
    def list_dead_letters(self, include_replayed=False):
        self.principal.require(ADMIN_EVENTS)
        table = PLUMBING["dead_letters"]
        stmt = select(table).order_by(table.c.id.desc()).limit(500)
        if not include_replayed:
            stmt = stmt.where(table.c.replayed_at.is_(None))
        with self.plumbing.database.session_factory() as session:
            return [_dead_letter_out(row, self.name) for row in session.execute(stmt).mappings()]

    @rpc
    def replay_dead_letter(self, dead_letter_id):
        """Put a parked event back on its queue with a fresh retry budget."""
        self.principal.require(ADMIN_EVENTS)
        table = PLUMBING["dead_letters"]
        with self.plumbing.database.session_factory() as session, session.begin():
            row = session.execute(
                select(table).where(table.c.id == int(dead_letter_id)).with_for_update()
            ).mappings().first()
            if row is None:
                raise NotFound("No such dead letter")
            if row["replayed_at"] is not None or row["body"] is None:
                raise Conflict("This dead letter was already replayed or has no readable body")
            headers = {k: v for k, v in row["headers"].items() if k != ATTEMPTS_HEADER}
            self.plumbing.broker.publish(row["body"], DEFAULT_EXCHANGE, row["queue"], headers=headers)
            session.execute(update(table).where(table.c.id == row["id"])
                            .values(replayed_at=text("now()")))
        return {"id": row["id"], "replayed": True}


def _dead_letter_out(row, service):
    return {
        "id": row["id"], "service": service, "queue": row["queue"], "event_name": row["event_name"],
        "event_id": row["event_id"], "error": row["error"], "attempts": row["attempts"],
        "created_at": row["created_at"].isoformat(),
        "replayed_at": row["replayed_at"].isoformat() if row["replayed_at"] else None,
        "body": row["body"],
    }
