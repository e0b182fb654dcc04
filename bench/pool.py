"""The pools' nightly run at a million (issue 17, CUS-15): `.venv/bin/python bench/pool.py`.

No suite: the nightly run is the customers service's database work (pool/use_cases/jobs.py), so
the bench migrates a database of its own (crm_bench<slot>p_customers; the slot is CRM_TEST_SLOT,
default 12), loads BENCH_POOL_CUSTOMERS (1,000,000) owned customers with SQL (generate_series), 5
pools (the default one and four department pools, rules per value level and for all, exemptions),
200,000 opportunities and 100,000 approved orders as sales' events leave them, then times in one
run, each next to the baseline of the same run (one sequential pass over the customers table):

  1. a full recompute of every recycle date with nothing changed since the last one (what a rule
     change costs; it writes only the rows whose date changed);
  2. the nightly run of a branch day in the steady state earlier nights leave (1/60 of the
     customers due tonight, 1/60 warned; warnings, recycling with history rows and outbox
     events: every effect, set-based);
  3. the same day's second run (must do nothing);
  4. the next day's run (little left to do).

Target: (2) under 60 s. Prints the figures, the load average and the counts.
"""
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

ROOT = Path(__file__).resolve().parent.parent
SLOT = int(os.environ.get("CRM_TEST_SLOT", "12"))
CUSTOMERS = int(os.environ.get("BENCH_POOL_CUSTOMERS", "1000000"))
PG = os.environ.get("CRM_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
NAME = f"crm_bench{SLOT}p_customers"
NIGHT = datetime(2026, 6, 30, 16, 5, tzinfo=timezone.utc)  # 00:05 on 1 July in Shanghai
SYSTEM = "00000000-0000-0000-0000-000000000000"


def url(driver="postgresql") -> str:
    return f"{PG.rsplit('/', 1)[0].replace('postgresql://', driver + '://', 1)}/{NAME}"


def fresh() -> None:
    from crm_common.migrations import upgrade
    with psycopg.connect(PG, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{NAME}"')
    upgrade("crm_customers:migrations", url("postgresql+psycopg"))


def load(conn) -> None:
    """Customers of 40 reps in 4 departments, their last follow-up 0–60 days before the night,
    value levels A/B/C/none; pools per department with rules; opportunities and deals."""
    from crm_customers.customers.models import REBUILD_SQL, TRIGGER
    from crm_customers.customers.use_cases import _RECYCLE_SQL
    conn.execute("SET maintenance_work_mem = '512MB'")
    indexes = conn.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customers'
                              AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'""").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute(f"ALTER TABLE customers DISABLE TRIGGER {TRIGGER}")
    conn.execute("""
        INSERT INTO pools (id, name, branch, department_path, daily_claim_quota, exempt_won, exempt_open_opportunity)
        SELECT gen_random_uuid(), '部门公海' || d, 'HQ', '/d' || d || '/', 20, d = 2, d = 3 FROM generate_series(1, 4) d""")
    conn.execute("""
        INSERT INTO pool_rules (pool_id, value_level, days_without_followup, days_without_opportunity,
                                days_without_deal, notice_days)
        SELECT p.id, l.level, l.followup, l.opportunity, l.deal, 3 FROM pools p CROSS JOIN (VALUES
            ('*', 30, NULL, NULL), ('A', 60, NULL, 90), ('B', NULL, 20, NULL)) AS l(level, followup, opportunity, deal)""")
    night = NIGHT
    conn.execute("""
        INSERT INTO customers (id, code, kind, name, name_key, status, tags, custom, in_pool, value_level,
                               last_activity_at, owner_since, owner_id, department_path, branch, created_at,
                               updated_at, pool_id)
        SELECT gen_random_uuid(), 'C-B-' || i, 'company', '公海客户' || i, '公海客户' || i, 'customer', '{}', '{}', false,
               (ARRAY['A', 'B', 'C', NULL])[1 + i %% 4], a.at, a.at, md5('rep' || i %% 40)::uuid,
               '/d' || (1 + i %% 4) || '/', 'HQ', %(night)s - make_interval(days => 400),
               %(night)s - make_interval(days => 400),
               (SELECT id FROM pools WHERE department_path = '/d' || (1 + i %% 4) || '/')
          FROM generate_series(1, %(n)s) i,
               -- the steady state the earlier nights leave: followed up within 19 days, but every
               -- 60th not for 61 days (due tonight) and every 60th + 1 for 28 (warned tonight)
               LATERAL (SELECT %(night)s - CASE WHEN i %% 60 = 0 THEN interval '61 days'
                                               WHEN i %% 60 = 1 THEN interval '28 days'
                                               ELSE make_interval(secs => (CAST(i AS bigint) * 7919) %% (19 * 86400)) END AS at) a
        """, {"n": CUSTOMERS, "night": night})
    conn.execute("""
        INSERT INTO pool_opportunities (opportunity_id, customer_id, opened_at, closed_at, outcome)
        SELECT gen_random_uuid(), id, %(night)s - make_interval(days => CAST(n %% 40 AS int)),
               CASE WHEN n %% 3 = 0 THEN %(night)s - make_interval(days => CAST(n %% 10 AS int)) END,
               CASE WHEN n %% 3 = 0 THEN (ARRAY['won', 'lost'])[1 + n %% 2] END
          FROM (SELECT id, row_number() OVER () AS n FROM customers TABLESAMPLE SYSTEM (20)) s""", {"night": night})
    conn.execute("""
        INSERT INTO money_orders (order_id, customer_id, total, currency, approved_at)
        SELECT gen_random_uuid(), id, 100, 'CNY', %(night)s - make_interval(days => CAST(n %% 100 AS int))
          FROM (SELECT id, row_number() OVER () AS n FROM customers TABLESAMPLE SYSTEM (10)) s""", {"night": night})
    # the dates the events and earlier nights left, written before the indexes come back
    conn.execute(_RECYCLE_SQL.format(where="true", some="", and_some="").replace(":zone", "'Asia/Shanghai'"))
    conn.execute("VACUUM customers")
    for _name, definition in indexes:
        conn.execute(definition)
    conn.execute(f"ALTER TABLE customers ENABLE TRIGGER {TRIGGER}")
    conn.execute(REBUILD_SQL)
    for table in ("customers", "pool_opportunities", "money_orders", "pools", "pool_rules"):
        conn.execute(f"VACUUM ANALYZE {table}")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    from crm_common.database import UnitOfWork
    from crm_customers.customers.use_cases import refresh_due
    from crm_customers.customers.models import MONTH
    from crm_customers.pool.use_cases import jobs
    print(f"pool bench: {CUSTOMERS:,} customers, database {NAME}, load average {os.getloadavg()}", flush=True)
    fresh()
    with psycopg.connect(url(), autocommit=True) as conn:
        seconds, _ = timed(lambda: load(conn))
        print(f"loaded in {seconds:.0f} s", flush=True)
        baseline, _ = timed(lambda: conn.execute("SELECT count(*), sum(length(name)) FROM customers").fetchone())
        base2, _ = timed(lambda: conn.execute("SELECT count(*), sum(length(name)) FROM customers").fetchone())
        baseline = min(baseline, base2)
    engine = create_engine(url("postgresql+psycopg"))
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def uow():
        return UnitOfWork(factory)

    def refresh_all():
        with uow() as unit:
            refresh_due(unit.session)
    figures = {}
    figures["recompute"], _ = timed(refresh_all)  # nothing changed since: reads all, writes none
    with psycopg.connect(url(), autocommit=True) as conn:
        owned, due = conn.execute("SELECT count(*), count(*) FILTER (WHERE recycle_due_at <= %s) FROM customers"
                                  " WHERE NOT in_pool", (NIGHT,)).fetchone()
        reasons = dict(conn.execute("SELECT coalesce(recycle_reason, '-'), count(*) FROM customers GROUP BY 1").fetchall())
    print(f"before the night: {owned:,} owned, {due:,} due; reasons {reasons}", flush=True)
    figures["nightly"], first = timed(lambda: jobs.nightly(uow, NIGHT))
    figures["same day again"], again = timed(lambda: jobs.nightly(uow, NIGHT + timedelta(hours=12)))
    figures["next day"], following = timed(lambda: jobs.nightly(uow, NIGHT + timedelta(days=1)))
    with psycopg.connect(url(), autocommit=True) as conn:
        pooled, events, recycled = conn.execute(
            "SELECT (SELECT count(*) FROM customers WHERE in_pool), (SELECT count(*) FROM outbox),"
            " (SELECT count(*) FROM customer_history WHERE kind = 'recycled')").fetchone()
        # the month counts the recycle kept in one aggregate are what a rebuild from scratch says
        drift = conn.execute(f"""SELECT count(*) FROM customer_month_counts m FULL JOIN (
            SELECT branch, department_path, owner_id, {MONTH.format(r='c')} AS month, count(*) AS count FROM customers c
             WHERE deleted_at IS NULL AND NOT in_pool GROUP BY 1, 2, 3, 4) r USING (branch, department_path, owner_id, month)
            WHERE coalesce(m.count, 0) <> coalesce(r.count, 0)""").fetchone()[0]
    assert drift == 0, f"{drift} month counts differ from a rebuild"
    assert first["ran"] and first["recycled"] == due, first
    assert not again["ran"] and again["recycled"] == 0
    total = first["recycled"] + following["recycled"]
    assert recycled == total and pooled == total, (recycled, pooled, total)
    print(f"nightly: {first}\nsame day again: {again}\nnext day: {following}")
    print(f"in the pools {pooled:,}, outbox events {events:,}, recycled history rows {recycled:,}")
    print(f"baseline (one sequential pass over customers): {baseline * 1000:.0f} ms")
    for name, seconds in figures.items():
        print(f"{name:>16}: {seconds:7.2f} s  ({seconds / baseline:6.1f} x baseline)")
    print(f"target: nightly < 60 s -> {'met' if figures['nightly'] < 60 else 'MISSED'}; "
          f"load average {os.getloadavg()}")
    engine.dispose()
    with psycopg.connect(PG, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
