"""Transactional outbox: events are rows written with the state change, relayed afterwards.

The relay wakes right after a commit that emitted events (low latency) and also polls every
second (events left behind by a crash). Rows are locked with SKIP LOCKED so several replicas
relay in parallel without double work; a row is deleted only once the broker confirmed it.
"""
import logging
import threading

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy import delete, select

from crm_common.broker import Broker, events_exchange
from crm_common import principal
from crm_common.database import PLUMBING, Database, WorkerScope
from crm_common.events.catalog import exchange_and_key

log = logging.getLogger(__name__)
BATCH = 200
POLL_SECONDS = 1.0


class OutboxRelay:
    def __init__(self, session_factory, broker: Broker):
        self._session_factory = session_factory
        self._broker = broker
        self._wake = threading.Event()
        self._running = True

    def wake(self):
        self._wake.set()

    def stop(self):
        self._running = False
        self._wake.set()

    def relay_batch(self) -> int:
        outbox = PLUMBING["outbox"]
        with self._session_factory() as session, session.begin():
            rows = session.execute(
                select(outbox.c.id, outbox.c.name, outbox.c.envelope)
                .order_by(outbox.c.id).limit(BATCH).with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                exchange, key = exchange_and_key(row.name)
                self._broker.publish(
                    row.envelope, events_exchange(exchange), key,
                    headers={"nameko.correlation_id": row.envelope.get("correlation_id") or ""},
                    message_id=row.envelope["event_id"])
            if rows:
                session.execute(delete(outbox).where(outbox.c.id.in_([r.id for r in rows])))
        return len(rows)

    def run(self):
        failures = 0
        while self._running:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            try:
                while self._running and self.relay_batch() == BATCH:
                    pass
                failures = 0
            except Exception:
                failures += 1
                log.exception("outbox relay failed; events stay in the outbox and are retried")
                eventlet.sleep(min(30, 0.5 * 2 ** failures))


class UnitOfWorkProvider(DependencyProvider):
    """Injects a factory of UnitOfWork bound to this service's database and outbox relay."""

    database = Database()
    broker = Broker()

    def setup(self):
        self.relay = None

    def start(self):
        self.relay = OutboxRelay(self.database.session_factory, self.broker)
        self.container.spawn_managed_thread(self.relay.run)

    def stop(self):
        if self.relay:
            self.relay.stop()

    def get_dependency(self, worker_ctx):
        """`self.uow()` gives a UnitOfWork; the scope knows the call's deadline and idempotency key."""
        data = worker_ctx.data
        deadline = data.get("deadline")
        return WorkerScope(self.database.session_factory, on_commit=self.relay.wake,
                           correlation_id=data.get("correlation_id"),
                           deadline=float(deadline) if deadline else None,
                           request_key=_request_key(worker_ctx), request_hash=data.get("request_hash", ""))


def _request_key(worker_ctx) -> str | None:
    """The gateway's key names the one RPC it is for: the calls that RPC makes to other services
    carry the same context but are not the keyed request."""
    data = worker_ctx.data
    target = f"{worker_ctx.container.service_name}.{worker_ctx.entrypoint.method_name}"
    if not data.get("idempotency_key") or data.get("idempotency_target") != target:
        return None
    caller = principal.decode_context(data)
    if not caller.user_id:
        return None
    # scoped by the verified principal (a forged context cannot read another user's answers) and
    # by the method (a request that calls two methods keeps two answers)
    return f"{caller.user_id}|{data['idempotency_key']}|{target}"
