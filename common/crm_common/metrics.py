"""Prometheus metrics of a service process: RPC latency, outbox lag, parked events, event retries,
database pool use (the alerts in deploy/components/monitoring read these names).

Served at GET /metrics on the service's health port (ServiceBase). Gauges that need the
database are computed when scraped, so they cost nothing between scrapes.
"""
import time

from nameko.extensions import DependencyProvider
from nameko.rpc import Rpc
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

from crm_common.database import PLUMBING
from crm_common.logs import correlation_id

REGISTRY = CollectorRegistry()
RPC_SECONDS = Histogram("crm_rpc_server_seconds", "Time to handle one RPC in the service",
                        ["service", "method", "outcome"], registry=REGISTRY,
                        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
OUTBOX_LAG = Gauge("crm_outbox_lag_seconds", "Age of the oldest event not yet relayed", ["service"], registry=REGISTRY)
OUTBOX_PENDING = Gauge("crm_outbox_pending", "Events waiting in the outbox", ["service"], registry=REGISTRY)
DEAD_LETTERS = Gauge("crm_dead_letters", "Parked events not replayed yet", ["service"], registry=REGISTRY)
EVENT_RETRIES = Counter("crm_event_retries", "Failed event deliveries sent back for another attempt",
                        ["service", "handler"], registry=REGISTRY)
POOL_IN_USE = Gauge("crm_db_pool_in_use", "Database connections checked out of the pool", ["service"],
                    registry=REGISTRY)
POOL_CAPACITY = Gauge("crm_db_pool_capacity", "Connections the pool may hand out (size + overflow)", ["service"],
                      registry=REGISTRY)


class WorkerObserver(DependencyProvider):
    """Times every RPC and puts the caller's correlation id on every log line of the worker."""

    def worker_setup(self, worker_ctx):
        worker_ctx.crm_started = time.perf_counter()
        worker_ctx.crm_log_token = correlation_id.set(worker_ctx.data.get("correlation_id"))

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        if isinstance(worker_ctx.entrypoint, Rpc):
            outcome = "ok" if exc_info is None else type(exc_info[1]).__name__
            RPC_SECONDS.labels(self.container.service_name, worker_ctx.entrypoint.method_name,
                               outcome).observe(time.perf_counter() - worker_ctx.crm_started)

    def worker_teardown(self, worker_ctx):
        correlation_id.reset(worker_ctx.crm_log_token)


def render(service: str, session_factory) -> bytes:
    outbox, dead_letters = PLUMBING["outbox"], PLUMBING["dead_letters"]
    with session_factory() as session:
        pending, lag = session.execute(select(
            func.count(), func.extract("epoch", func.now() - func.min(outbox.c.created_at)))).one()
        parked = session.execute(select(func.count()).select_from(dead_letters)
                                 .where(dead_letters.c.replayed_at.is_(None))).scalar()
        pool = session.get_bind().pool
        # read while this scrape holds one connection itself: in use counts it too
        POOL_IN_USE.labels(service).set(pool.checkedout())
        POOL_CAPACITY.labels(service).set(pool.size() + pool._max_overflow)
    OUTBOX_PENDING.labels(service).set(pending)
    OUTBOX_LAG.labels(service).set(float(lag or 0))
    DEAD_LETTERS.labels(service).set(parked)
    return generate_latest(REGISTRY)
