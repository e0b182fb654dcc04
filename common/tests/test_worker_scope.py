"""Units of work of one RPC worker against a real PostgreSQL: keyed requests, deadlines, reruns."""
import os
import threading
import time

import psycopg
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, func, select
from sqlalchemy.orm import sessionmaker

from crm_common import rpc
from crm_common.database import WorkerScope
from crm_common.errors import InvalidInput, Unavailable
from crm_common.tables import plumbing_tables

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
metadata = MetaData()
plumbing_tables(metadata)
things = Table("things", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))


@pytest.fixture(scope="module")
def session_factory():
    name = f"crm_test{os.environ.get('CRM_TEST_SLOT', '')}_common_uow"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", pool_pre_ping=True)
    metadata.create_all(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _count(session_factory, name) -> int:
    with session_factory() as session:
        return session.execute(select(func.count()).select_from(things).where(things.c.name == name)).scalar_one()


def _create(scope, name, calls, pause=0.0):
    def work():
        calls.append(name)
        with scope() as uow:
            uow.session.execute(things.insert().values(name=name))
            time.sleep(pause)
            return {"name": name, "attempt": len(calls)}
    return work


def test_a_keyed_request_runs_once_and_a_repeat_gets_the_first_answer(session_factory):
    calls = []
    scope = WorkerScope(session_factory, request_key="u1|k1", request_hash="h")
    first = rpc.run(scope, _create(scope, "once", calls))
    assert first == {"name": "once", "attempt": 1}
    scope = WorkerScope(session_factory, request_key="u1|k1", request_hash="h")
    assert rpc.run(scope, _create(scope, "once", calls)) == first
    assert calls == ["once", "once"]  # the repeat reached its unit of work, which replayed
    assert _count(session_factory, "once") == 1


def test_a_keyed_request_writes_its_effect_only_with_its_answer(session_factory):
    scope = WorkerScope(session_factory, request_key="u1|k2", request_hash="h")
    assert rpc.run(scope, _create(scope, "with-answer", [])) == {"name": "with-answer", "attempt": 1}
    requests = metadata.tables["idempotent_requests"]
    with session_factory() as session:
        answer = session.execute(select(requests.c.answer).where(requests.c.key == "u1|k2")).scalar_one()
    assert answer == {"name": "with-answer", "attempt": 1}
    other = WorkerScope(session_factory, request_key="u1|k2", request_hash="another body")
    with pytest.raises(InvalidInput):
        rpc.run(other, _create(other, "with-answer", []))
    assert _count(session_factory, "with-answer") == 1


def test_a_second_copy_of_a_running_keyed_request_waits_and_gets_its_answer(session_factory):
    answers, calls = [], []

    def send(pause):
        scope = WorkerScope(session_factory, request_key="u1|k3", request_hash="h")
        answers.append(rpc.run(scope, _create(scope, "concurrent", calls, pause)))

    slow = threading.Thread(target=send, args=(1.0,))
    slow.start()
    time.sleep(0.3)
    send(0.0)
    slow.join()
    assert len(answers) == 2 and answers[0] == answers[1]  # the waiting copy got the first one's answer
    assert _count(session_factory, "concurrent") == 1


def test_work_past_its_deadline_is_not_committed(session_factory):
    scope = WorkerScope(session_factory, deadline=time.time() - 1)
    with pytest.raises(Unavailable):
        rpc.run(scope, _create(scope, "late", []))
    assert _count(session_factory, "late") == 0


def _dropping_connection_once(scope, name, calls, commit_first=False):
    def work():
        calls.append(name)
        if commit_first:
            with scope() as uow:
                uow.session.execute(things.insert().values(name=f"{name}-first"))
        with scope() as uow:
            uow.session.execute(things.insert().values(name=name))
            if len(calls) == 1:
                uow.session.execute(select(func.pg_terminate_backend(func.pg_backend_pid())))
            return {"name": name}
    return work


def test_a_dropped_connection_reruns_the_worker_on_a_fresh_one(session_factory):
    calls = []
    scope = WorkerScope(session_factory)
    assert rpc.run(scope, _dropping_connection_once(scope, "rerun", calls)) == {"name": "rerun"}
    assert len(calls) == 2 and _count(session_factory, "rerun") == 1


def test_a_dropped_connection_after_a_commit_answers_503_instead_of_doing_it_twice(session_factory):
    calls = []
    scope = WorkerScope(session_factory)
    with pytest.raises(Unavailable) as refused:
        rpc.run(scope, _dropping_connection_once(scope, "half", calls, commit_first=True))
    assert refused.value.retry_after >= 1
    assert len(calls) == 1 and _count(session_factory, "half-first") == 1 and _count(session_factory, "half") == 0


def test_only_connection_and_concurrency_errors_are_transient(session_factory):
    scope = WorkerScope(session_factory)

    def bad_sql():
        with scope() as uow:
            uow.session.execute(select(func.no_such_function()))
    with pytest.raises(Exception) as raised:
        rpc.run(scope, bad_sql)
    assert not rpc.is_transient(raised.value) and not isinstance(raised.value, Unavailable)
