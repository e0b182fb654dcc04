"""Database plumbing: engine per service process, and the unit of work owning a transaction."""
import os
import time
import uuid
from datetime import datetime, timedelta, timezone

from nameko.extensions import SharedExtension
from sqlalchemy import MetaData, create_engine, delete, event, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from crm_common import branch_time, config, json_values, numbering
from crm_common.errors import InvalidInput, Unavailable
from crm_common.events.catalog import CURRENT_VERSION, UnknownEvent, build_envelope
from crm_common.tables import plumbing_tables

PLUMBING = plumbing_tables(MetaData())


STATEMENT_CACHE_BYTES = 32_768


def make_engine(url: str):
    if os.environ.get("PSYCOPG_WAIT_FUNC") != "wait_select":
        # psycopg's C wait function blocks the eventlet hub; every process entrypoint sets this.
        raise RuntimeError("PSYCOPG_WAIT_FUNC=wait_select must be set before psycopg is imported")
    from psycopg import _queries
    from psycopg.types.json import set_json_loads
    set_json_loads(json_values.loads)  # every connection of the process: the same values, decoded faster
    # psycopg keeps a statement's conversion to $n placeholders only up to 4 KB of SQL: the
    # customer list's (6 KB) and the detail's lists (9 KB) were parsed again on every execution
    # (35–50 µs). Its cache holds 128 statements; they are a service's fixed set.
    _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, STATEMENT_CACHE_BYTES)
    # At most 15 connections per process (six processes per branch share PostgreSQL's
    # max_connections, 100 by default), all of them kept once opened: with 5 kept and 10 of
    # overflow, every request beyond the fifth at once opened a connection and closed it on its
    # way out (3 % of the customers process at 16 connections, and a backend started each time).
    engine = create_engine(
        url,
        pool_size=int(os.environ.get("CRM_DB_POOL_SIZE", "15")),
        max_overflow=int(os.environ.get("CRM_DB_MAX_OVERFLOW", "0")),
    )
    ping_when_idle(engine)
    return engine


# A connection back in the pool for less than this is not pinged before its next use.
PING_AFTER_IDLE_SECONDS = float(os.environ.get("CRM_DB_PING_AFTER_IDLE_SECONDS", "1"))


def ping_when_idle(engine, after: float | None = None) -> None:
    """Pre-ping, but only connections that sat idle: a server restart, a failover or an idle
    timeout kills connections while they wait in the pool, and those are pinged (and replaced)
    before use, as pool_pre_ping does. A connection returned a moment ago by the previous
    request is used at once: pinging it too cost every request a round trip (SELECT 1) for
    nothing. A connection that breaks in between fails its statement as any mid-use disconnect
    does (the pool is invalidated, the worker's transient-error retry runs again)."""
    threshold = PING_AFTER_IDLE_SECONDS if after is None else after

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, proxy):
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < threshold:
            return  # new, or back a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool replaces the connection and checks out another
            raise DisconnectionError("an idle connection did not answer its ping") from exc
        if not alive:
            raise DisconnectionError("an idle connection did not answer its ping")


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


IDEMPOTENCY_RETENTION = timedelta(hours=24)


class Replayed(Exception):
    """The request's key is already recorded with its answer: answer that, do nothing again."""

    def __init__(self, answer):
        super().__init__("replayed")
        self.answer = answer


class WorkerScope:
    """What the units of work of one worker (one RPC call or event delivery) share.

    The deadline: a unit of work does not commit once the caller has stopped waiting (it was
    told 503, so the work must not happen late). For a request with an idempotency key, all its
    units of work join one transaction that starts by claiming the key and that the entrypoint
    commits together with the answer (`finish`); a second request with the key waits for the
    first one's transaction and then gets its answer (`Replayed`).
    """

    def __init__(self, session_factory: sessionmaker, on_commit=None, correlation_id=None,
                 deadline: float | None = None, request_key: str | None = None, request_hash: str = ""):
        self._session_factory, self._on_commit = session_factory, on_commit
        self.correlation_id, self.deadline = correlation_id, deadline
        self.request_key, self.request_hash = request_key, request_hash
        self.session: Session | None = None  # the shared transaction of a keyed request
        self.emitted = 0
        self.committed = False  # something is done: running the worker again would do it twice
        self.in_doubt = False  # a commit failed on the wire: it may or may not have happened

    def __call__(self) -> "UnitOfWork":
        return UnitOfWork(self._session_factory, self._on_commit, self.correlation_id, scope=self)

    def check_deadline(self) -> None:
        if self.deadline is not None and time.time() > self.deadline:
            raise Unavailable("The request's deadline passed before its work could be saved; nothing was changed")

    def may_rerun(self) -> bool:
        """After a transient database error: is running the whole worker again safe?"""
        return not self.committed and (not self.in_doubt or self.request_key is not None)

    def join(self) -> Session:
        if self.session is None:
            session = self._session_factory()
            session.begin()
            try:
                self._claim(session)
            except BaseException:
                session.rollback()
                session.close()
                raise
            self.session = session
        return self.session

    def _claim(self, session: Session) -> None:
        table = PLUMBING["idempotent_requests"]
        session.execute(delete(table).where(table.c.created_at < datetime.now(timezone.utc) - IDEMPOTENCY_RETENTION))
        # Blocks while another transaction holds the same key, until it commits or rolls back.
        claimed = session.execute(pg_insert(table).values(key=self.request_key, request_hash=self.request_hash)
                                  .on_conflict_do_nothing().returning(table.c.key)).first()
        if claimed:
            return
        first = session.execute(select(table.c.request_hash, table.c.answer)
                                .where(table.c.key == self.request_key)).one()
        if first.request_hash != self.request_hash:
            raise InvalidInput("This Idempotency-Key was used for a different request",
                               {"Idempotency-Key": ["Already used for another request."]})
        raise Replayed(first.answer)

    def finish(self, answer) -> None:
        """Record the answer and commit the request's work with it."""
        if self.session is None:
            return
        table = PLUMBING["idempotent_requests"]
        session, self.session = self.session, None
        try:
            session.execute(update(table).where(table.c.key == self.request_key).values(answer=answer))
            _commit(session, self)
        finally:
            session.close()
        self._committed()

    def abort(self) -> None:
        if self.session is not None:
            session, self.session = self.session, None
            session.rollback()
            session.close()

    def _committed(self) -> None:
        self.committed = True
        if self.emitted and self._on_commit:
            self.emitted = 0
            self._on_commit()


def _commit(session: Session, scope: WorkerScope) -> None:
    try:
        session.commit()
    except DBAPIError:
        scope.in_doubt = True
        raise


class UnitOfWork:
    """One transaction: the state change plus the events it emits (transactional outbox).

    `with uow_factory() as uow:` commits on success, rolls back on error, then wakes the
    relay so emitted events leave promptly. Inside a keyed request it is part of the request's
    one transaction instead (see WorkerScope).
    """

    def __init__(self, session_factory: sessionmaker, on_commit=None, correlation_id=None,
                 scope: WorkerScope | None = None):
        self.correlation_id = correlation_id
        self.session: Session | None = None
        self._scope = scope or WorkerScope(session_factory, on_commit, correlation_id)
        self._shared = False
        self._read_only = False

    def reading(self) -> "UnitOfWork":
        """`with uow.reading():` for a use case that only reads. Its statements run without a
        transaction of their own: each is its own READ COMMITTED snapshot, as it would be in
        one, and the BEGIN and COMMIT round trips go. Inside a keyed request it joins the
        request's transaction like any unit of work."""
        self._read_only = True
        return self

    def __enter__(self):
        self._shared = self._scope.request_key is not None
        if self._shared:
            self.session = self._scope.join()
        elif self._read_only and isinstance(self._scope._session_factory.kw.get("bind"), Engine):
            self.session = self._scope._session_factory()
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:  # writes, and reads bound to one connection (the use-case tests' transaction)
            self.session = self._scope._session_factory()
            self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._shared:
            if exc_type is None:
                self.session.flush()
            else:
                self._scope.abort()
            return False
        if self._read_only:
            self.session.close()
            return False
        try:
            if exc_type is None:
                self._scope.check_deadline()
                _commit(self.session, self._scope)
            else:
                self.session.rollback()
        finally:
            self.session.close()
        if exc_type is None:
            self._scope._committed()
        return False

    def emit(self, name: str, data: dict) -> str:
        if self._read_only:
            raise RuntimeError("A unit of work opened with reading() emits no events")
        envelope = build_envelope(name, data, config.branch(), self.correlation_id)
        self.session.execute(insert(PLUMBING["outbox"]).values(
            event_id=envelope["event_id"], name=name, envelope=envelope))
        self._scope.emitted += 1
        return envelope["event_id"]

    def emit_select(self, name: str, data_select: str) -> tuple[str, dict]:
        """An INSERT into the outbox of one event per row of `data_select` (SQL whose single
        column is the event's data as jsonb), to run as a CTE of a set-based change: a million
        events without a million round trips. The data is built by SQL, so the caller keeps it to
        the catalogue's schema; (sql, its parameters)."""
        if self._read_only:
            raise RuntimeError("A unit of work opened with reading() emits no events")
        if name not in CURRENT_VERSION:
            raise UnknownEvent(name)
        self._scope.emitted += 1  # wakes the relay after the commit
        sql = f"""INSERT INTO outbox (event_id, name, envelope)
            SELECT e.id, CAST(:_ev_name AS text), jsonb_build_object(
                'name', CAST(:_ev_name AS text), 'version', CAST(:_ev_version AS int), 'event_id', e.id,
                'occurred_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
                'branch', CAST(:_ev_branch AS text), 'correlation_id', CAST(:_ev_correlation AS text), 'data', e.data)
              FROM (SELECT gen_random_uuid() AS id, d.* FROM ({data_select}) AS d(data)) e
            RETURNING 1"""
        return sql, {"_ev_name": name, "_ev_version": CURRENT_VERSION[name], "_ev_branch": config.branch(),
                     "_ev_correlation": self.correlation_id}

    def first_delivery(self, event_id: str, handler: str) -> bool:
        """Record that `handler` processed `event_id`; False if it already had (a redelivery)."""
        stmt = pg_insert(PLUMBING["processed_events"]).values(event_id=event_id, handler=handler)
        result = self.session.execute(stmt.on_conflict_do_nothing().returning(text("1")))
        return result.first() is not None

    def document_number(self, document_type: str, branch: str) -> str:
        """The next number of the type in the branch by its rule (crm_common.numbering); the
        counter row stays locked until this transaction ends, so numbers have no gaps."""
        return self.document_numbers(document_type, branch, 1)[0]

    def document_numbers(self, document_type: str, branch: str, n: int) -> list[str]:
        """n consecutive numbers in one statement (an import numbers its rows at once)."""
        if n == 0:
            return []
        rule = numbering_rule(self.session, document_type)
        day = branch_time.current_day()
        counters = PLUMBING["document_counters"]
        stmt = pg_insert(counters).values(prefix=numbering.counter_key(rule, branch),
                                          year=numbering.period(rule, day), value=n)
        stmt = stmt.on_conflict_do_update(
            index_elements=["prefix", "year"], set_={"value": counters.c.value + n}
        ).returning(counters.c.value)
        last = self.session.execute(stmt).scalar_one()
        return [numbering.format_number(rule, branch, day, value) for value in range(last - n + 1, last + 1)]


def numbering_rule(session, document_type: str) -> numbering.NumberRule:
    """The rule an administrator set for the type in this branch's database, or the default."""
    table = PLUMBING["numbering_rules"]
    row = session.execute(select(table.c.prefix, table.c.date_part, table.c.digits, table.c.reset)
                          .where(table.c.document_type == document_type)).first()
    return numbering.NumberRule(*row) if row else numbering.default_rule(document_type)


def counter_value(session, rule: numbering.NumberRule, branch: str, day) -> int:
    """The last value the rule's counter gave in the run `day` falls in (0 before the first)."""
    counters = PLUMBING["document_counters"]
    return session.execute(select(counters.c.value).where(
        counters.c.prefix == numbering.counter_key(rule, branch),
        counters.c.year == numbering.period(rule, day))).scalar() or 0


def new_id() -> str:
    return str(uuid.uuid4())
