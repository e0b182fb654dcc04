"""Run under eventlet exactly as a service process does; print how many of 8 concurrent queries
PostgreSQL saw waiting at the same time: 8 if the wait function yields to other green threads,
0 if it blocks the hub. Lock-based rather than timed, so a loaded machine cannot fool it."""
import random
import sys
import time

from crm_common.bootstrap import prepare_process

prepare_process()

import eventlet  # noqa: E402
from sqlalchemy import text  # noqa: E402

from crm_common.database import make_engine  # noqa: E402

SLEEPERS = 8
url, tag = sys.argv[1], sys.argv[2]
key = random.randint(1, 2**31 - 1)
engine = make_engine(url)


def sleeper():
    with engine.connect() as conn:
        # the eight connections can take many seconds to open on a loaded machine: the first
        # sleeper must still be waiting when the last arrives
        conn.execute(text("SET statement_timeout = '100s'"))
        try:
            conn.execute(text(f"SELECT pg_advisory_lock_shared({key}) /* {tag} */"))
            conn.execute(text(f"SELECT pg_advisory_unlock_shared({key})"))
        except Exception:  # a blocked hub makes this time out; the count below tells the story
            pass


with engine.connect() as holder:
    holder.execute(text(f"SELECT pg_advisory_lock({key})"))
    pool = eventlet.GreenPool()
    for _ in range(SLEEPERS):
        pool.spawn(sleeper)
    seen, deadline = 0, time.monotonic() + 120  # a hang guard, not a measurement
    while seen < SLEEPERS and time.monotonic() < deadline:
        eventlet.sleep(0.05)
        # pg_stat_activity is frozen for the rest of a transaction once read: without this the
        # first look (before the sleepers arrive, on a loaded machine) would be the only one
        holder.execute(text("SELECT pg_stat_clear_snapshot()"))
        seen = max(seen, holder.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE :q"
        ), {"q": f"%/* {tag} */%"}).scalar())
    holder.execute(text(f"SELECT pg_advisory_unlock({key})"))
    pool.waitall()
print(seen)
