"""Use-case tests against one service's own database: no broker, no other service.

A service's `tests/conftest.py` says which service it is:

    from crm_common.testing import use_case_fixtures
    service_db, uow, principal_factory, emitted = use_case_fixtures("sales", "crm_sales:migrations")

The database (`crm_ut<slot>_<service>`) is created and migrated once per test run. Each test runs
inside one outer transaction that is rolled back at its end: a use case's own commit only
releases a savepoint, so tests stay independent and fast (hundreds in seconds). What needs two
real transactions at once (row locks between concurrent callers) belongs in `tests/e2e`.
"""
import os
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from crm_common.database import PLUMBING, UnitOfWork
from crm_common.migrations import upgrade
from crm_common.principal import Principal

PG_ADMIN_URL = os.environ.get("CRM_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _database_name(service: str) -> str:
    return f"crm_ut{os.environ.get('CRM_TEST_SLOT', '') or ''}_{service}"


def fresh_database(service: str, script_location: str) -> str:
    """Drops, creates and migrates the service's test database; returns its SQLAlchemy URL."""
    name = _database_name(service)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}/{name}"
    upgrade(script_location, url)
    return url


def make_principal(*, permissions=(), scope="all", user_id=None, department_path="/d1/",
                   branch="HQ", scopes=None, username="tester", fields=None) -> Principal:
    return Principal(user_id=user_id or str(uuid.uuid4()), department_path=department_path, branch=branch,
                     scope=scope, permissions=frozenset(permissions), username=username,
                     scopes=dict(scopes or {}), fields=dict(fields or {}))


def use_case_fixtures(service: str, script_location: str):
    """The four fixtures of a service's use-case tests, to be bound to names in its conftest."""
    os.environ.setdefault("CRM_SECRET_KEY", "use-case-tests-only")  # signs cursors in pages

    @pytest.fixture(scope="session")
    def service_db():
        engine = create_engine(fresh_database(service, script_location))
        yield engine
        engine.dispose()

    @pytest.fixture
    def uow(service_db):
        """A factory of units of work that all share the test's rolled-back transaction."""
        with service_db.connect() as connection:
            outer = connection.begin()
            factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                   expire_on_commit=False, class_=Session)
            yield lambda: UnitOfWork(factory)
            outer.rollback()

    @pytest.fixture
    def principal_factory():
        return make_principal

    @pytest.fixture
    def emitted(uow):
        """The events the test's use cases wrote to the outbox, as (name, data) in order."""
        def read(name: str | None = None) -> list:
            outbox = PLUMBING["outbox"]
            with uow() as unit:
                rows = unit.session.execute(select(outbox.c.name, outbox.c.envelope).order_by(outbox.c.id)).all()
            return [(row.name, row.envelope["data"]) for row in rows if name in (None, row.name)]
        return read

    return service_db, uow, principal_factory, emitted


@pytest.fixture
def clock(monkeypatch):
    """What time it is for the use cases under test: `clock.set(aware_datetime)`; unset, the real
    clock. A service's conftest imports it next to use_case_fixtures."""
    from crm_common import clock as clock_module

    class Clock:
        @staticmethod
        def set(instant):
            monkeypatch.setattr(clock_module, "now", lambda: instant)
    return Clock()


def outbox_envelopes(uow, name: str | None = None) -> list[dict]:
    """The envelopes the test's use cases wrote to the outbox, as they travel (JSON), in order."""
    import json
    outbox = PLUMBING["outbox"]
    with uow() as unit:
        rows = unit.session.execute(select(outbox.c.name, outbox.c.envelope).order_by(outbox.c.id)).all()
    return [json.loads(json.dumps(row.envelope)) for row in rows if name in (None, row.name)]


def deliver(uow, handler, body: dict, handler_name: str | None = None) -> bool:
    """Hand one message to `handler(uow, envelope, data)` the way crm_common.events.handlers does:
    parsed from the catalogue, skipped when this handler saw its event id already, the effect in
    the same unit of work as the record of the delivery. True if it was applied."""
    from crm_common.events.catalog import parse_envelope
    envelope, data = parse_envelope(body)
    with uow() as unit:
        if not unit.first_delivery(envelope["event_id"], handler_name or handler.__qualname__):
            return False
        handler(unit, envelope, data)
        return True


def nobody_approves(document_type: str, document_id: str) -> bool:
    """A read's `approves` (crm_common.approvers) in a use-case test without sales: no approver."""
    return False
