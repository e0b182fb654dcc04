"""The plans of a rep's customer reads with team members at a realistic size (issue 17):
`.venv/bin/python bench/team_plans.py` (CRM_TEST_SLOT picks the database crm_ut<slot>_teamplan).

Loads BENCH_TEAM_CUSTOMERS (1,000,000) customers of 20 reps, makes the first rep a member of
BENCH_TEAM_MEMBERSHIPS (200) customers of others (half read-write, a tenth expired), analyses,
and prints EXPLAIN (ANALYZE, BUFFERS) of what the rep's list (newest first, by name, a deep
keyset page), name search detail and export send, with the scope and the memberships paged apart
(`crm_common.teams.either`) and, for comparison, as one OR. No timing claims: the shapes.
"""
import os
import sys

from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("CRM_SECRET_KEY", "bench-only")
from crm_common.database import UnitOfWork  # noqa: E402
from crm_common.testing import fresh_database, make_principal  # noqa: E402
from crm_customers.customers import queries  # noqa: E402
from crm_customers.customers.models import MONTH_COUNTS_SETTING, REBUILD_SQL  # noqa: E402
from crm_customers.exchange import queries as exchange  # noqa: E402
from crm_customers.profile import queries as profile  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_TEAM_CUSTOMERS", "1000000"))
MEMBERSHIPS = int(os.environ.get("BENCH_TEAM_MEMBERSHIPS", "200"))
REPS = 20


def main():
    engine = create_engine(fresh_database("teamplan", "crm_customers:migrations"))
    rep = make_principal(permissions={"customers.read", "customers.write", "customers.export"}, scope="own")
    with engine.begin() as c:
        # the month counts once at the end, not the trigger's upsert per row of a million (migration 0019)
        c.execute(text("SELECT set_config(:name, 'on', true)"), {"name": MONTH_COUNTS_SETTING})
        c.execute(text("""
            INSERT INTO customers (id, code, kind, name, status, tags, custom, name_key, in_pool, last_activity_at,
                                   owner_id, department_path, branch, created_at, updated_at)
            SELECT gen_random_uuid(), 'T-' || g, 'company',
                   '城市' || chr(19968 + g % 3000) || chr(19968 + (g * 7) % 3000) || '有限公司', 'customer', '{}',
                   '{}', '', false, now(),
                   CASE WHEN g % :reps = 0 THEN CAST(:rep AS uuid)
                        ELSE CAST(md5('rep' || (g % :reps)) AS uuid) END,
                   '/d' || (g % :reps) || '/', 'HQ', now() - g * interval '1 second', now()
              FROM generate_series(1, :rows) g"""), {"rows": CUSTOMERS, "reps": REPS, "rep": rep.user_id})
        c.execute(text("SELECT set_config(:name, '', true)"), {"name": MONTH_COUNTS_SETTING})
        c.execute(text(REBUILD_SQL))
        c.execute(text("""
            INSERT INTO team_members (kind, record_id, user_id, access, expires_at, added_by)
            SELECT 'customer', id, CAST(:rep AS uuid), CASE WHEN n % 2 = 0 THEN 'read_write' ELSE 'read_only' END,
                   CASE WHEN n % 10 = 0 THEN now() - interval '1 day' END, CAST(:rep AS uuid)
              FROM (SELECT id, row_number() OVER () n FROM customers WHERE owner_id <> :rep
                    ORDER BY md5(id::text) LIMIT :n) picked"""), {"rep": rep.user_id, "n": MEMBERSHIPS})
        c.execute(text("""INSERT INTO team_members (kind, record_id, user_id, access, added_by)
                          SELECT 'customer', id, gen_random_uuid(), 'read_only', owner_id
                            FROM customers TABLESAMPLE SYSTEM (5)"""))  # other users' memberships
        for table in ("customers", "team_members"):
            c.execute(text(f"ANALYZE {table}"))
        member_of = c.execute(text("SELECT record_id FROM team_members WHERE user_id = :rep AND expires_at IS NULL "
                                   "LIMIT 1"), {"rep": rep.user_id}).scalar_one()
    factory = sessionmaker(bind=engine, expire_on_commit=False, class_=Session)
    first = queries.list_(UnitOfWork(factory), rep, {})
    exported = exchange.export_customers(UnitOfWork(factory), rep, {}, None)
    reads = {
        "my customers, newest first": lambda: queries.list_(UnitOfWork(factory), rep, {}),
        "my customers by name": lambda: queries.list_(UnitOfWork(factory), rep, {"sort": "name"}),
        "my customers, second page": lambda: queries.list_(UnitOfWork(factory), rep, {"cursor": first["next_cursor"]}),
        "name contains 城市 (mine and my teams')": lambda: queries.list_(UnitOfWork(factory), rep, {"name": "城市"}),
        "detail of a customer I am a member of": lambda: profile.get(UnitOfWork(factory), rep, str(member_of)),
        # the export walks pages of (created_at, id) like the list: the same two halves
        "export of my customers, first page (with the total)": lambda: exchange.export_customers(
            UnitOfWork(factory), rep, {}, None),
        "export of my customers, next page": lambda: exchange.export_customers(
            UnitOfWork(factory), rep, {}, exported["next_cursor"]),
    }
    for title, read in reads.items():
        explain(engine, title, read)
    print(f"\n{CUSTOMERS} customers, {REPS} reps, {MEMBERSHIPS} memberships of the rep; load {os.getloadavg()}")


def explain(engine, title, read):
    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", capture)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    print(f"\n=== {title}: {len(sent)} statement(s)")
    with engine.connect() as c:
        for statement, parameters in sent:
            plan = c.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).scalars().all()
            print("\n".join(plan))


if __name__ == "__main__":
    sys.exit(main())
