"""Customers at a million (issue 3): `.venv/bin/python bench/customers.py`.

Starts a private suite (databases crm_bench1_*, vhost crm-bench1, gateway :19220), loads
BENCH_CUSTOMERS customers (default 1,000,000) with contacts by COPY (indexes dropped during the
load and rebuilt after), then measures through the HTTP API, each against a baseline of the
same run (GET one customer by id):
  1. scoped list: first page vs page 10,000 (ratio target <= 1.5)
  2. name search, 3-4 Chinese characters: p95 (target < 50 ms)
  3. statistics by month over everything: p50/max (target < 500 ms)
  4. CSV import of BENCH_IMPORT_ROWS (100,000) rows with the command-line client (target < 60 s)
Page 10,000 is reached with the cursor a client holds after walking 9,999 pages: the bench
computes the boundary row with SQL once and signs the cursor like the service does.
"""
import functools
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import requests
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack, local_secrets  # noqa: E402

from crm_common import regions  # noqa: E402

warnings.filterwarnings("ignore")
SLOT = 1
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "60"))
PAGE_SIZE = 50
DEEP_PAGE = 10_000
DEEP = min(DEEP_PAGE, CUSTOMERS // PAGE_SIZE - 1)  # smaller runs (BENCH_CUSTOMERS) go as deep as they can
ADMIN_PASSWORD = "admin-bench-password"

CITIES = [("上海", "上海"), ("浙江", "杭州"), ("浙江", "宁波"), ("江苏", "南京"), ("江苏", "苏州"), ("广东", "广州"),
          ("广东", "深圳"), ("北京", "北京"), ("四川", "成都"), ("湖北", "武汉"), ("山东", "青岛"), ("福建", "厦门")]
WORDS = list("天马华盛金鑫恒泰宏达永安嘉禾瑞丰德润新源中科博远汇通广利众诚宝龙正大长江东方明珠兴隆信达万家富强")
INDUSTRIES = [("贸易", "wholesale_retail"), ("科技", "it"), ("机械", "manufacturing"), ("食品", "manufacturing"),
              ("建材", "construction"), ("纺织", "manufacturing"), ("电子", "manufacturing"), ("物流", "other"),
              ("医药", "healthcare"), ("化工", "manufacturing")]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
# dictionary codes (the gateway's seed, crm_common.picklists): what the API would have stored
LEVELS, SOURCES = ["a", "b", "c", "d"], ["referral", "trade_fair", "website", "cold_visit", "campaign"]


def company(rng: random.Random) -> tuple[str, str, str, str]:
    province, city = rng.choice(CITIES)
    trade, industry = rng.choice(INDUSTRIES)
    brand = "".join(rng.sample(WORDS, rng.choice((2, 2, 3))))
    return f"{city}{brand}{trade}有限公司", province, city, industry


@functools.lru_cache(maxsize=None)
def place(province: str, city: str) -> tuple:
    """(province, city, province_code, city_code) as the service stores them (crm_common.regions)."""
    codes = regions.resolve(province, city, None)
    named = regions.names(codes)
    return named["province"], named["city"], codes["province_code"], codes["city_code"]


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered) + 0.5)) - 1))]


class Api:
    def __init__(self, base, username, password):
        self.base, self.http = base, requests.Session()
        token = self.http.post(f"{base}/auth/login", json={"username": username, "password": password}, timeout=30)
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def call(self, method, path, **kw):
        response = self.http.request(method, self.base + path, timeout=60, **kw)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def timed(self, path, params=None) -> float:
        start = time.perf_counter()
        self.call("GET", path, params=params)
        return (time.perf_counter() - start) * 1000


def make_org(admin: Api) -> dict:
    root = admin.call("GET", "/me")["department"]["id"]
    region = admin.call("POST", "/departments", json={"name": "华东大区", "parent_id": root})
    perms = ["customers.read", "customers.write"]
    rep = admin.call("POST", "/roles", json={"name": "bench rep", "data_scope": "own", "permissions": perms})
    director = admin.call("POST", "/roles", json={"name": "bench director", "data_scope": "subtree",
                                                  "permissions": perms + ["customers.import"]})
    owners = []
    for d in range(8):
        dept = admin.call("POST", "/departments", json={"name": f"销售{d + 1}部", "parent_id": region["id"]})
        for r in range(6):
            user = admin.call("POST", "/users", json={"code": f"rep{d}_{r}", "name": f"销售{d}-{r}",
                                                      "department_id": dept["id"], "password": "bench-password",
                                                      "role_ids": [rep["id"]]})
            owners.append((user["id"], dept["path"]))
    admin.call("POST", "/users", json={"code": "director", "name": "大区总监", "department_id": region["id"],
                                       "password": "bench-password", "role_ids": [director["id"]]})
    return {"owners": owners, "region_path": region["path"]}


def load(db_url: str, owners: list, n: int) -> None:
    """COPY n customers (+ a contact for every other one); indexes rebuilt afterwards."""
    rng = random.Random(42)
    from crm_customers.customers.rules import name_key
    from crm_customers.customers.models import REBUILD_SQL, TRIGGER
    now = datetime.now(timezone.utc)
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        indexes = conn.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('customers', 'contacts')
                                  AND indexname NOT LIKE '%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%'""").fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute(f"ALTER TABLE customers DISABLE TRIGGER {TRIGGER}")  # rebuilt in one pass below
        cols = ("id", "code", "kind", "name", "industry", "source", "value_level", "province", "city", "province_code",
                "city_code", "status",
                "tags", "custom", "name_key", "in_pool", "last_activity_at", "owner_id", "department_path", "branch",
                "created_at", "updated_at")
        contact_rows = []
        with conn.cursor() as cur, tqdm(total=n, unit="customer", desc="load customers") as bar:
            with cur.copy(f"COPY customers ({', '.join(cols)}) FROM STDIN") as copy:
                for i in range(n):
                    name, province, city, industry = company(rng)
                    owner, path = owners[rng.randrange(len(owners))]
                    created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                    cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    copy.write_row((cid, f"C-HQ-G-{i:07d}", "company", name, industry, rng.choice(SOURCES),
                                    rng.choice(LEVELS), *place(province, city), "customer", [], "{}", name_key(name),
                                    False,
                                    created, owner, path, "HQ", created, created))
                    if i % 2 == 0:
                        contact_rows.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), cid,
                                             rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                                             f"1{rng.randrange(3, 9)}{rng.randrange(10**9):09d}", False, "{}",
                                             created, created))
                    if i % 10_000 == 9_999:
                        bar.update(10_000)
                bar.update(n - bar.n)
            with cur.copy("COPY contacts (id, customer_id, name, mobile, is_key_member, custom, created_at, updated_at)"
                          " FROM STDIN") as copy:
                for row in tqdm(contact_rows, unit="contact", desc="load contacts"):
                    copy.write_row(row)
        for _name, definition in tqdm(indexes, unit="index", desc="rebuild indexes"):
            conn.execute(definition)
        conn.execute(f"ALTER TABLE customers ENABLE TRIGGER {TRIGGER}")
        conn.execute(REBUILD_SQL)
        conn.execute("VACUUM ANALYZE customers")
        conn.execute("VACUUM ANALYZE contacts")


def deep_cursor(db_url: str, region_path: str, rows_before: int) -> str:
    """The cursor a client holds after `rows_before` rows of the director's default list."""
    from crm_common.pagination import encode_cursor
    with psycopg.connect(db_url) as conn:
        created, cid = conn.execute(
            """SELECT created_at, id FROM customers WHERE branch = 'HQ' AND department_path LIKE %s
               AND NOT in_pool AND deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1""",
            (region_path + "%", rows_before - 1)).fetchone()
    return encode_cursor("-created_at", created, str(cid))


def sql_search(db_url: str, region_path: str, terms: list):
    """The service's search query alone (same SQL shape), to separate database from API cost."""
    conn = psycopg.connect(db_url)

    def run(i) -> float:
        start = time.perf_counter()
        conn.execute("""SELECT * FROM customers WHERE branch = 'HQ' AND department_path LIKE %s AND NOT in_pool
                        AND deleted_at IS NULL AND name ILIKE %s ORDER BY created_at DESC, id DESC LIMIT 51""",
                     (region_path + "%", f"%{terms[i]}%")).fetchall()
        return (time.perf_counter() - start) * 1000
    return run


def measure(label, fn, samples=SAMPLES) -> dict:
    for _ in range(3):
        fn(0)
    values = [fn(i) for i in range(samples)]
    return {"label": label, "p50": statistics.median(values), "p95": pct(values, 0.95), "max": max(values)}


def main() -> None:
    os.environ.update(local_secrets())
    gateway_port, health_base = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
    stack = Stack(db_prefix=f"crm_bench{SLOT}_", vhost=f"crm-bench{SLOT}", gateway_port=gateway_port,
                  health_base=health_base, log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    db_url = f"postgresql://postgres@127.0.0.1:5432/crm_bench{SLOT}_customers"
    try:
        print(f"starting the suite (gateway :{gateway_port}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        base = f"http://127.0.0.1:{gateway_port}/api/v1"
        admin = Api(base, "admin", ADMIN_PASSWORD)
        org = make_org(admin)
        started = time.monotonic()
        load(db_url, org["owners"], CUSTOMERS)
        load_s = time.monotonic() - started
        director = Api(base, "director", "bench-password")
        first = director.call("GET", "/customers", params={"limit": PAGE_SIZE})["items"]
        some_id = first[0]["id"]
        rows = []
        baseline = measure("baseline: GET /customers/{id}", lambda i: director.timed(f"/customers/{some_id}"))
        rows.append(baseline)
        rows.append(measure("list, first page (subtree scope)",
                            lambda i: director.timed("/customers", {"limit": PAGE_SIZE})))
        cursor = deep_cursor(db_url, org["region_path"], (DEEP - 1) * PAGE_SIZE)
        rows.append(measure(f"list, page {DEEP:,} (keyset cursor)",
                            lambda i: director.timed("/customers", {"limit": PAGE_SIZE, "cursor": cursor})))
        rng = random.Random(7)
        terms = []
        for _ in range(SAMPLES + 3):
            name, _, city, _ = company(rng)
            terms.append(name[len(city):len(city) + rng.choice((3, 4))])  # brand (+ trade): what users type
        rows.append(measure("name search, 3-4 characters",
                            lambda i: director.timed("/customers", {"name": terms[i], "limit": PAGE_SIZE})))
        rows.append(measure("  the same search, SQL only", sql_search(db_url, org["region_path"], terms)))
        rows.append(measure("statistics by month, all 1M (admin)",
                            lambda i: admin.timed("/customers/statistics", {"by": "month"}), samples=10))
        from crm_customers.exchange.cli import run_import
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
            rng = random.Random(9)
            handle.write("code,name,province,city,industry,value_level\n")
            for i in range(IMPORT_ROWS):
                name, province, city, industry = company(rng)
                handle.write(f"IMP-{i:06d},{name},{province},{city},{industry},{rng.choice(LEVELS)}\n")
        token = director.http.headers["Authorization"].split()[1]
        started = time.monotonic()
        job = run_import(base, token, handle.name)
        import_s = time.monotonic() - started
        os.unlink(handle.name)
        report(rows, baseline, load_s, import_s, job)
    finally:
        stack.stop_all()


def report(rows, baseline, load_s, import_s, job) -> None:
    print(f"\n# customers bench: {CUSTOMERS:,} customers (loaded in {load_s:.0f} s), {os.cpu_count()} cores")
    print(f"{'measure':<42}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/baseline':>14}")
    for r in rows:
        print(f"{r['label']:<42}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['max']:>9.1f}{r['p95'] / baseline['p95']:>13.2f}x")
    first, deep, search, search_sql, stats = rows[1:6]
    print(f"\npage {DEEP:,} / first page (p50): {deep['p50'] / first['p50']:.2f} (target <= 1.5)")
    print(f"name search p95: {search['p95']:.1f} ms through the API, {search_sql['p95']:.1f} ms in SQL (target < 50)")
    print(f"statistics by month p50: {stats['p50']:.1f} ms, max {stats['max']:.1f} ms (target < 500)")
    print(f"import of {IMPORT_ROWS:,} rows: {import_s:.1f} s, status {job['status']}, created {job['created']}, "
          f"errors {job['error_count']} (target < 60 s)")


if __name__ == "__main__":
    main()
