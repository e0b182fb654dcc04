"""Idempotency keys on POST (ADM-10): at most one effect per key and caller, whatever fails.

The gateway claims the key (a row per caller and key) before the request runs and stores the
final answer with it. A retry with the same key and request gets the stored answer; with a
different request, 422; while the first one still runs in a live gateway, 409.

Whether the effect happened is decided by the service, not here: the gateway sends the key with
the RPC, and the service records key and answer in the same transaction as the effect
(crm_common.database.WorkerScope). So when the outcome is unknown to the gateway (the service
did not answer in time, the broker connection dropped: any 5xx of an RPC), the claim is kept
but released to the next attempt, which asks the service again with the same key and gets the
first answer if the work was done. A claim is held under a lease the owning gateway renews
every second: a crashed gateway's claims are taken over LEASE_SECONDS after it died.

A route of the gateway's own (users, roles, API keys ...: its effect is in the gateway database)
runs in one transaction of that database that also stores the key's answer (`recorded`): the
effect and the answer commit together or not at all, so a gateway that dies in between leaves
neither, and the retry after the lease lapses runs once. A 5xx of such a request rolls its effect
back: the key is released unless it also made an RPC (then the services' keys decide).
"""
import hashlib
import logging
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

import eventlet
from sqlalchemy import DateTime, Integer, PrimaryKeyConstraint, String, delete, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from crm_common.errors import BadRequest, Conflict, InvalidInput
from crm_common.records import utcnow
from crm_gateway.identity.models import Base

log = logging.getLogger(__name__)
HEADER = "Idempotency-Key"
LEASE_SECONDS = 3
RENEW_SECONDS = 1
RETENTION = timedelta(hours=24)
# This process: the owner of the claims it holds while their requests run.
INSTANCE = uuid.uuid4().hex
# (caller, key) of the requests running here: only their leases are renewed, so a claim whose
# answer could not be stored (database away) lapses and the next attempt asks the service.
_running: set[tuple[str, str]] = set()


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (PrimaryKeyConstraint("caller_id", "key"),)

    caller_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[dict | list | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def validate_key(key: str) -> str:
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise BadRequest(f"{HEADER} must be 1-200 printable characters")
    return key


def _lease():
    return utcnow() + timedelta(seconds=LEASE_SECONDS)


def claim(session_factory, caller_id: str, key: str, digest: str):
    """None if this request may run; else the stored (status, body) of the first one."""
    with session_factory() as session, session.begin():
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - RETENTION))
        inserted = session.execute(
            pg_insert(IdempotencyKey).values(caller_id=caller_id, key=key, request_hash=digest,
                                             owner=INSTANCE, lease_until=_lease())
            .on_conflict_do_nothing().returning(IdempotencyKey.key)).first()
        if inserted:
            _running.add((caller_id, key))
            return None
        first = session.execute(select(IdempotencyKey).where(
            IdempotencyKey.caller_id == caller_id, IdempotencyKey.key == key).with_for_update()).scalar_one()
        if first.request_hash != digest:
            raise InvalidInput(f"This {HEADER} was used for a different request",
                               {HEADER: ["Already used for another request."]})
        if first.status is not None:
            return first.status, first.body
        if first.owner is not None and first.lease_until > utcnow():
            raise Conflict(f"A request with this {HEADER} is still being processed")
        # the outcome of the earlier attempt is unknown or its gateway died: ask the service again
        first.owner, first.lease_until = INSTANCE, _lease()
        _running.add((caller_id, key))
        return None


def _where(caller_id: str, key: str):
    return IdempotencyKey.caller_id == caller_id, IdempotencyKey.key == key


def finish(session_factory, caller_id: str, key: str, status: int, body, outcome_known: bool) -> None:
    _running.discard((caller_id, key))
    where = _where(caller_id, key)
    with session_factory() as session, session.begin():
        if status < 500:
            session.execute(update(IdempotencyKey).where(*where).values(status=status, body=body, owner=None))
        elif outcome_known:
            session.execute(delete(IdempotencyKey).where(*where))
        else:
            session.execute(update(IdempotencyKey).where(*where).values(owner=None, lease_until=None))


class Recorded:
    """What `recorded` yields: `db`, a session factory whose sessions are savepoints of the one
    transaction, and `answer(status, body)`, which stores a final answer in it."""

    def __init__(self, connection):
        self._connection = connection
        self.db = sessionmaker(connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
        self.stored = False

    def answer(self, caller_id: str, key: str, status: int, body) -> None:
        if status >= 500:
            return
        self._connection.execute(update(IdempotencyKey).where(*_where(caller_id, key))
                                 .values(status=status, body=body, owner=None))
        self.stored = True


@contextmanager
def recorded(session_factory, caller_id: str, key: str):
    """One transaction of the gateway database for a keyed request's own effect and its answer.

    Commits only when an answer was stored (status < 500); otherwise the effect is rolled back.
    Whatever the commit's fate, the claim stops being this process's: if the commit happened the
    answer is there for the retry, if not the retry runs the request again.
    """
    try:
        with session_factory.kw["bind"].connect() as connection, connection.begin() as transaction:
            work = Recorded(connection)
            yield work
            if not work.stored:
                transaction.rollback()
    finally:
        _running.discard((caller_id, key))


def renew_leases(session_factory) -> None:
    """Keep this gateway's running claims alive; runs for the life of the process."""
    while True:
        eventlet.sleep(RENEW_SECONDS)
        running = list(_running)
        if not running:
            continue
        try:
            with session_factory() as session, session.begin():
                session.execute(update(IdempotencyKey).where(
                    IdempotencyKey.owner == INSTANCE, IdempotencyKey.status.is_(None),
                    tuple_(IdempotencyKey.caller_id, IdempotencyKey.key).in_(running))
                    .values(lease_until=_lease()))
        except Exception:  # the database is away; claims may lapse and be retried, never doubled
            log.warning("could not renew idempotency leases", exc_info=True)
