"""The report pack at a million customers and two million opportunities (issue 17):
`.venv/bin/python bench/reports.py` (BENCH_SLOT, default 15: databases crm_bench15_*, gateway :22020).

The loader writes what the product writes:
- 1,000,000 customers (bench/customers.py's COPY loader, their creation-month rollup rebuilt) and
  BENCH_FOLLOW_UPS follow-ups, 2,000,000 opportunities (their stage-history trigger on), then the
  report rollups from those records with the migrations' own backfill statements (the rows the
  handlers would have written, day rows and month rows);
- orders, contracts, receipts and invoices only as events: BENCH_ORDERS approved orders (3 lines
  each), a contract per 4 orders, a receipt and an invoice per order, turned into rollup rows by the
  services' own rules (crm_sales.reports.rules, crm_finance.reports.rules), summed and COPY'd. No
  report reads an order, so the records themselves would change nothing measured.
Then each report through the HTTP API, p50/p95 over BENCH_SAMPLES calls, as a rep (scope own) and
as the region's director (scope subtree: every loaded record), against a baseline of the same run
(GET /customers/{id}). Target: every report p95 < 200 ms.
"""
import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import psycopg
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from stack import Stack, local_secrets  # noqa: E402
from customers import ADMIN_PASSWORD, Api, load, pct  # noqa: E402

SLOT = int(os.environ.get("BENCH_SLOT", "15"))
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "2000000"))
FOLLOW_UPS = int(os.environ.get("BENCH_FOLLOW_UPS", "1000000"))
ORDERS = int(os.environ.get("BENCH_ORDERS", "300000"))
PRODUCTS = 500
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "40"))
TARGET_MS = 200
PERMISSIONS = ["customers.read", "customers.write", "opportunities.read", "orders.read", "contracts.read",
               "receipts.read", "invoices.read"]
KINDS = ("call", "visit", "email", "meeting", "cold_visit")
YEARS = 3


def make_org(admin: Api) -> dict:
    root = admin.call("GET", "/me")["department"]["id"]
    region = admin.call("POST", "/departments", json={"name": "华东大区", "parent_id": root})
    rep_role = admin.call("POST", "/roles", json={"name": "报表销售", "data_scope": "own", "permissions": PERMISSIONS})
    director_role = admin.call("POST", "/roles", json={"name": "报表总监", "data_scope": "subtree",
                                                       "permissions": PERMISSIONS})
    owners = []
    for d in range(8):
        dept = admin.call("POST", "/departments", json={"name": f"销售{d + 1}部", "parent_id": region["id"]})
        for r in range(6):
            user = admin.call("POST", "/users", json={"code": f"rep{d}_{r}", "name": f"销售{d}-{r}",
                                                      "department_id": dept["id"], "password": "bench-password",
                                                      "role_ids": [rep_role["id"]]})
            owners.append((user["id"], dept["path"]))
    admin.call("POST", "/users", json={"code": "director", "name": "大区总监", "department_id": region["id"],
                                       "password": "bench-password", "role_ids": [director_role["id"]]})
    return {"owners": owners, "region_path": region["path"]}


def stages(admin: Api) -> tuple[list, dict]:
    open_ = [admin.call("POST", "/opportunity-stages", json={"name": name, "position": i, "probability": p})
             for i, (name, p) in enumerate((("初步接洽", "10"), ("需求确认", "30"), ("方案报价", "50"),
                                            ("谈判审核", "80")), 1)]
    closed = {outcome: admin.call("POST", "/opportunity-stages", json={
        "name": name, "position": 9 + i, "probability": p, "outcome": outcome})
        for i, (name, p, outcome) in enumerate((("赢单", "100", "won"), ("输单", "0", "lost")))}
    return open_, closed


def load_follow_ups(db_url: str, n: int) -> None:
    rng = random.Random(5)
    now = datetime.now(timezone.utc)
    with psycopg.connect(db_url, autocommit=True) as conn:
        customers = conn.execute("SELECT id, owner_id FROM customers").fetchall()
        with conn.cursor() as cur, cur.copy("COPY interactions (id, customer_id, author_id, kind, occurred_at, summary,"
                                            " created_at, updated_at) FROM STDIN") as copy:
            for _ in tqdm(range(n), unit="follow-up", desc="load follow-ups", mininterval=5):
                cid, owner = customers[rng.randrange(len(customers))]
                at = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
                copy.write_row((str(uuid.UUID(int=rng.getrandbits(128), version=4)), cid, owner, rng.choice(KINDS),
                                at, "电话沟通需求", at, at))
        conn.execute("VACUUM ANALYZE interactions")


def load_opportunities(db_url: str, customers_url: str, owners: list, open_stages: list, closed: dict, n: int):
    rng = random.Random(11)
    now = datetime.now(timezone.utc)
    with psycopg.connect(customers_url) as conn:
        customers = conn.execute("SELECT id, name FROM customers LIMIT 200000").fetchall()
    cols = ("id", "customer_id", "customer_name", "title", "source", "stage_id", "probability", "expected_amount",
            "currency", "expected_close_date", "status", "close_reason", "closed_at", "owner_id", "department_path",
            "branch", "created_at", "updated_at")
    with psycopg.connect(db_url, autocommit=True) as conn:
        with conn.cursor() as cur, cur.copy(f"COPY opportunities ({', '.join(cols)}) FROM STDIN") as copy:
            for _ in tqdm(range(n), unit="opportunity", desc="load opportunities", mininterval=5):
                cid, name = customers[rng.randrange(len(customers))]
                owner, path = owners[rng.randrange(len(owners))]
                created = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
                amount = Decimal(rng.randrange(1000, 2_000_000)) / 10
                roll = rng.random()
                if roll < 0.3:
                    stage = open_stages[rng.randrange(len(open_stages))]
                    status, closed_at, probability = "open", None, stage["probability"]
                else:
                    status = "won" if roll < 0.6 else "lost"
                    stage = closed[status]
                    closed_at = min(now, created + timedelta(days=rng.randrange(1, 120)))
                    probability = "100" if status == "won" else "0"
                copy.write_row((str(uuid.UUID(int=rng.getrandbits(128), version=4)), cid, name, "采购项目", None,
                                stage["id"], probability, amount, "CNY", (created + timedelta(days=90)).date(), status,
                                "结束" if closed_at else None, closed_at, owner, path, "HQ", created,
                                closed_at or created))
        conn.execute("VACUUM ANALYZE opportunities")


def backfill(db_url: str, migration: Path) -> None:
    """The rollups of the records as they stand: the migration's own statements."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(migration.stem, migration)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    zone = os.environ.get("CRM_TIMEZONE", "Asia/Shanghai")
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("DELETE FROM report_rollups")  # the migration ran on empty tables
        for statement in module.BACKFILL:
            conn.execute(statement.replace(":zone", "%(zone)s"), {"zone": zone} if ":zone" in statement else None)
        conn.execute("VACUUM ANALYZE report_rollups")


def rollups_of_events(owners: list, n: int) -> tuple[dict, dict]:
    """(sales rows, finance rows) that n approved orders and their contracts, receipts and
    invoices add, by the services' own rules, summed per rollup row."""
    from crm_common.report_figures import FIGURES
    from crm_finance.reports import rules as finance_rules
    from crm_sales.reports import rules as sales_rules
    rng = random.Random(13)
    now = datetime.now(timezone.utc)
    products = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(PRODUCTS)]
    sales, finance = {}, {}

    def keep(into, deltas):
        for d in deltas:
            for grain, day in (("day", d.day), ("month", d.day.replace(day=1))):
                row = {**d.row(), "grain": grain, "day": day}
                key = (row["metric"], grain, day, row["branch"], row["department_path"], row["owner_id"], row["key"],
                       row["currency"])
                found = into.setdefault(key, {name: 0 for name in FIGURES})
                for name in FIGURES:
                    found[name] += row[name]

    for i in tqdm(range(n), unit="order", desc="order events", mininterval=5):
        owner, path = owners[rng.randrange(len(owners))]
        at = now - timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
        lines = [{"product_id": products[min(int(rng.paretovariate(1.2)) - 1, PRODUCTS - 1)],
                  "quantity": Decimal(rng.randrange(1, 20)), "amount": Decimal(rng.randrange(100, 50_000))}
                 for _ in range(3)]
        total = sum((line["amount"] for line in lines), Decimal(0))
        scope = {"owner_id": owner, "department_path": path, "branch": "HQ", "currency": "CNY"}
        keep(sales, sales_rules.order_approved({**scope, "total": total, "lines": lines, "approved_at": at,
                                                "order_type": "sale"}, at))
        if i % 4 == 0:
            keep(sales, sales_rules.contract_signed({**scope, "amount": total * 4, "signed_at": at}))
        paid = at + timedelta(days=rng.randrange(0, 60))
        keep(finance, finance_rules.invoice_issued({**scope, "amount": total}, at))
        if paid < now:
            keep(finance, finance_rules.receipt_recorded({**scope, "amount": total, "received_on": None}, paid))
    return sales, finance


def copy_rollups(db_url: str, rows: dict) -> None:
    from crm_common.report_figures import FIGURES
    cols = ("metric", "grain", "day", "branch", "department_path", "owner_id", "key", "currency", *FIGURES)
    with psycopg.connect(db_url, autocommit=True) as conn:
        with conn.cursor() as cur, cur.copy(f"COPY report_rollups ({', '.join(cols)}) FROM STDIN") as copy:
            for key, figures in rows.items():
                copy.write_row((*key, *(figures[name] for name in FIGURES)))
        conn.execute("VACUUM ANALYZE report_rollups")


def measure(label: str, fn) -> dict:
    fn()  # warm
    samples = sorted(fn() for _ in range(SAMPLES))
    return {"label": label, "p50": pct(samples, 0.5), "p95": pct(samples, 0.95), "max": samples[-1]}


def same_run_comparison(sales_url: str, region_path: str, since: str, until: str) -> list:
    """The year-to-date question through sales' own use case in this process, against the same
    database: as it reads now (whole months from month rows, the partial edge from day rows,
    crm_common.rollups.spans) and as it read before (day rows alone). Same answer, both timed."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    from crm_common import rollups
    from crm_common.database import UnitOfWork
    from crm_common.testing import make_principal
    from crm_sales.reports import queries
    engine = create_engine(sales_url.replace("postgresql://", "postgresql+psycopg://", 1))
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    director = make_principal(permissions=PERMISSIONS, scope="subtree", department_path=region_path)
    question = {"period": "month", "since": since, "until": until}

    def ask():
        start = time.perf_counter()
        answer = queries.opportunities(UnitOfWork(factory), director, question)
        return (time.perf_counter() - start) * 1000, answer
    spans = rollups.spans
    rows, answers = [], {}
    for label, pieces in (("spans", spans), ("day rows alone", lambda a, b: [("day", a, b)])):
        rollups.spans = pieces
        try:
            answers[label] = ask()[1]
            rows.append(measure(f"year to date, use case in-process: {label} (director)", lambda: ask()[0]))
        finally:
            rollups.spans = spans
    assert answers["spans"] == answers["day rows alone"], "the two readings differ"
    engine.dispose()
    return rows


def main() -> None:
    os.environ.update(local_secrets())
    gateway_port, health_base = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
    prefix = f"crm_bench{SLOT}_"
    stack = Stack(db_prefix=prefix, vhost=f"crm-bench{SLOT}", gateway_port=gateway_port, health_base=health_base,
                  log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    url = {c: f"postgresql://postgres@127.0.0.1:5432/{prefix}{c}" for c in ("customers", "sales", "finance")}
    versions = {c: ROOT / "services" / c / f"crm_{c}" / "migrations" / "versions" for c in url}
    try:
        print(f"starting the suite (gateway :{gateway_port}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        base = f"http://127.0.0.1:{gateway_port}/api/v1"
        admin = Api(base, "admin", ADMIN_PASSWORD)
        org = make_org(admin)
        open_stages, closed = stages(admin)
        year = datetime.now(timezone.utc).year
        for owner, path in org["owners"][:12]:
            admin.call("POST", "/targets", json={"subject": "user", "user_id": owner, "department_path": path,
                                                 "period": str(year), "amount": "5000000.00"})
        started = time.monotonic()
        load(url["customers"], org["owners"], CUSTOMERS)
        load_follow_ups(url["customers"], FOLLOW_UPS)
        load_opportunities(url["sales"], url["customers"], org["owners"], open_stages, closed, OPPORTUNITIES)
        backfill(url["customers"], next(versions["customers"].glob("*_report_rollups.py")))
        backfill(url["sales"], next(versions["sales"].glob("*_report_rollups.py")))
        sales_rows, finance_rows = rollups_of_events(org["owners"], ORDERS)
        copy_rollups(url["sales"], sales_rows)
        copy_rollups(url["finance"], finance_rows)
        load_s = time.monotonic() - started
        with psycopg.connect(url["sales"]) as conn:
            sizes = {"sales": conn.execute("SELECT count(*) FROM report_rollups").fetchone()[0]}
        for c in ("customers", "finance"):
            with psycopg.connect(url[c]) as conn:
                sizes[c] = conn.execute("SELECT count(*) FROM report_rollups").fetchone()[0]
        rep = Api(base, "rep0_0", "bench-password")
        director = Api(base, "director", "bench-password")
        some_id = director.call("GET", "/customers", params={"limit": 1})["items"][0]["id"]
        since, until = f"{year}-01-01", datetime.now(timezone.utc).date().isoformat()
        asks = [("funnel", "/reports/funnel", {}),
                ("opportunities by month (all time)", "/reports/opportunities", {"period": "month"}),
                ("opportunities, this year to date (day rows)", "/reports/opportunities",
                 {"period": "month", "since": since, "until": until}),
                ("contract and order amounts by quarter", "/reports/sales-amounts", {"period": "quarter"}),
                ("ranking by order amount", "/reports/sales-ranking", {"by": "order_amount"}),
                ("ranking by contract amount, this year", "/reports/sales-ranking",
                 {"by": "contract_amount", "since": since}),
                ("product sales ranking", "/reports/products", {}),
                ("target completion", "/reports/targets", {"period": str(year)}),
                ("received vs invoiced by month", "/reports/receipts", {"period": "month"}),
                ("ranking by receipts", "/reports/receipt-ranking", {}),
                ("follow-ups by method, by month", "/reports/follow-ups", {"period": "month"}),
                ("leads and pool in/out by year", "/reports/leads", {"period": "year"}),
                ("ranking by new customers", "/reports/customer-ranking", {"by": "new_customers"}),
                ("ranking by follow-ups", "/reports/customer-ranking", {"by": "follow_ups"})]
        rows = [measure("baseline: GET /customers/{id} (director)", lambda: director.timed(f"/customers/{some_id}"))]
        for who, api in (("director", director), ("rep", rep)):
            for label, path, params in asks:
                rows.append(measure(f"{label} ({who})", lambda api=api, path=path, params=params:
                                    api.timed(path, params)))
        rows += same_run_comparison(url["sales"], org["region_path"], since, until)
        report(rows, load_s, sizes)
    finally:
        stack.stop_all()


def report(rows, load_s, sizes) -> None:
    baseline = rows[0]["p95"]
    print(f"\n# report pack bench: {CUSTOMERS:,} customers, {OPPORTUNITIES:,} opportunities, {FOLLOW_UPS:,} "
          f"follow-ups, {ORDERS:,} orders as events (loaded in {load_s:.0f} s); rollup rows: {sizes}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'report':<58}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/baseline':>14}")
    for row in rows:
        flag = "" if row["p95"] < TARGET_MS else "  (over 200 ms)"
        print(f"{row['label']:<58}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['max']:>9.1f}"
              f"{row['p95'] / baseline:>14.2f}{flag}")


if __name__ == "__main__":
    main()
