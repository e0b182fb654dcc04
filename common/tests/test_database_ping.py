"""Idle connections are pinged before use, busy ones are not (crm_common.database.ping_when_idle),
against a real PostgreSQL: a connection killed while it waited in the pool is replaced unseen."""
import time

import psycopg
from sqlalchemy import create_engine, text

from crm_common.database import ping_when_idle

URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
IDLE = 0.2


def test_only_a_connection_idle_past_the_threshold_is_pinged_and_a_dead_one_is_replaced():
    engine = create_engine(URL, pool_size=1, max_overflow=0)
    ping_when_idle(engine, after=IDLE)
    pings = []
    real_ping = engine.dialect.do_ping
    engine.dialect.do_ping = lambda connection: pings.append(1) or real_ping(connection)
    try:
        with engine.connect() as conn:
            first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for _ in range(3):  # back a moment ago: used at once
            with engine.connect() as conn:
                assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == first_pid
        assert pings == []
        time.sleep(IDLE * 1.5)
        with engine.connect() as conn:  # idle long enough: pinged, alive, the same connection
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == first_pid
        assert len(pings) == 1
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first_pid,))
        time.sleep(IDLE * 1.5)
        with engine.connect() as conn:  # killed while idle: the ping fails, a new connection serves
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != first_pid
        assert len(pings) == 2
    finally:
        engine.dispose()
