"""Run under eventlet exactly as a service process does; print how many of 8 concurrent queries
PostgreSQL saw running at the same time (8 if the wait function yields, 1 if it blocks the hub)."""
import sys

from crm_common.bootstrap import prepare_process

prepare_process()

import eventlet  # noqa: E402
from sqlalchemy import text  # noqa: E402

from crm_common.database import make_engine  # noqa: E402

url, tag = sys.argv[1], sys.argv[2]
engine = make_engine(url)
seen = []


def sleeper():
    with engine.connect() as conn:
        conn.execute(text(f"SELECT pg_sleep(0.5) /* {tag} */"))


def watcher():
    eventlet.sleep(0.25)  # the sleepers started; every one of them should be inside pg_sleep now
    with engine.connect() as conn:
        seen.append(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE :q"
        ), {"q": f"%pg_sleep(0.5) /* {tag} */%"}).scalar())


pool = eventlet.GreenPool()
for _ in range(8):
    pool.spawn(sleeper)
pool.spawn(watcher)
pool.waitall()
print(seen[0])
