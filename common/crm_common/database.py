"""Database plumbing: engine per service process, and the unit of work owning a transaction."""
import os
import uuid
from datetime import datetime, timezone

from nameko.extensions import SharedExtension
from sqlalchemy import MetaData, create_engine, insert, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, sessionmaker

from crm_common import config
from crm_common.events.catalog import build_envelope
from crm_common.tables import plumbing_tables

PLUMBING = plumbing_tables(MetaData())


def make_engine(url: str):
    if os.environ.get("PSYCOPG_WAIT_FUNC") != "wait_select":
        # psycopg's C wait function blocks the eventlet hub; every process entrypoint sets this.
        raise RuntimeError("PSYCOPG_WAIT_FUNC=wait_select must be set before psycopg is imported")
    # Idle connections are kept up to pool_size per process; six processes per branch share
    # PostgreSQL's max_connections (100 by default), so the idle pool stays small.
    return create_engine(
        url,
        pool_size=int(os.environ.get("CRM_DB_POOL_SIZE", "5")),
        max_overflow=int(os.environ.get("CRM_DB_MAX_OVERFLOW", "10")),
        pool_pre_ping=True,
    )


class Database(SharedExtension):
    """One engine per service container, shared by every extension that needs the database."""

    engine = None
    session_factory = None

    def setup(self):
        self.engine = make_engine(self.container.config["DATABASE_URL"])
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    def kill(self):
        self.engine.dispose()

    stop = kill


class UnitOfWork:
    """One transaction: the state change plus the events it emits (transactional outbox).

    `with uow_factory() as uow:` commits on success, rolls back on error, then wakes the
    relay so emitted events leave promptly.
    """

    def __init__(self, session_factory: sessionmaker, on_commit=None, correlation_id=None):
        self._session_factory = session_factory
        self._on_commit = on_commit
        self.correlation_id = correlation_id
        self.session: Session | None = None
        self._emitted = 0

    def __enter__(self):
        self.session = self._session_factory()
        self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()
        if exc_type is None and self._emitted and self._on_commit:
            self._on_commit()
        return False

    def emit(self, name: str, data: dict) -> str:
        envelope = build_envelope(name, data, config.branch(), self.correlation_id)
        self.session.execute(insert(PLUMBING["outbox"]).values(
            event_id=envelope["event_id"], name=name, envelope=envelope))
        self._emitted += 1
        return envelope["event_id"]

    def first_delivery(self, event_id: str, handler: str) -> bool:
        """Record that `handler` processed `event_id`; False if it already had (a redelivery)."""
        stmt = pg_insert(PLUMBING["processed_events"]).values(event_id=event_id, handler=handler)
        result = self.session.execute(stmt.on_conflict_do_nothing().returning(text("1")))
        return result.first() is not None

    def next_number(self, prefix: str, width: int = 6) -> str:
        """Gap-free per prefix and year: the counter row stays locked until this transaction ends."""
        year = datetime.now(timezone.utc).year
        counters = PLUMBING["document_counters"]
        stmt = pg_insert(counters).values(prefix=prefix, year=year, value=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["prefix", "year"], set_={"value": counters.c.value + 1}
        ).returning(counters.c.value)
        value = self.session.execute(stmt).scalar_one()
        return f"{prefix}-{year}-{value:0{width}d}"


def new_id() -> str:
    return str(uuid.uuid4())
