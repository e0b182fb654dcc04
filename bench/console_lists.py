"""The console's part-2 list pages with a realistic database (issue 18): `make bench-console-lists`.

Starts a private suite on CRM_TEST_SLOT (default 17; never 0, 5 or 8, which other benches use:
databases crm_bench<slot>_*, vhost crm-bench<slot>), serving the built console, loads rows straight
into the service databases (COPY / generate_series: seconds instead of hours over HTTP):
  logistics  BENCH_FULFILMENTS fulfilments (100,000) with a line each, 1.5 shipments per fulfilment,
             BENCH_FIELD_SERVICE field-service orders (50,000) over every state
  finance    bench/finance.py's 100,000 receivables with receipts and 25,000 invoices
  workspace  bench/workspace.py's calls, work orders and the rest at BENCH_WS_SCALE (10: 100,000
             calls, 30,000 work orders)
then drives Debian's Chromium, CPU throttled 4x as in bench/console.py, as the administrator (scope
`all`: the widest reads) and measures each list's first page painted after the click that opens
it (target <= 300 ms): 发货 (fulfilments), a fulfilment's 发货单 (shipments), 财务 · 应收
(receivables), 财务 · 发票 (invoices), 现场服务 (the board), 工作区 · 来电 (calls), 工作区 · 工单
(work orders). Beside each, the same first page's API answer measured over HTTP in the same run
(no browser): the floor the screen stands on, so the ratio says what the console adds.

BENCH_CONSOLE_BUILDS="before=/path/to/old/dist,after=web/dist" measures several builds against the
same suite in one run, alternating round by round (as bench/console.py: the gateway serves a
symbolic link re-pointed between rounds). BENCH_REUSE=1 keeps this slot's databases from an earlier
run when they hold the data (no fresh prepare, no load).
"""
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg
import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("BENCH_WS_SCALE", "10")
from stack import Stack, local_secrets  # noqa: E402
import finance as finance_bench  # noqa: E402
import workspace as workspace_bench  # noqa: E402
from customers import pct  # noqa: E402
from console import builds, serve  # noqa: E402

SLOT = int(os.environ.get("CRM_TEST_SLOT") or 17)
if SLOT in (0, 5, 8):
    sys.exit(f"slot {SLOT} belongs to another bench or to the developers' suite: set CRM_TEST_SLOT (e.g. 17)")
ADMIN_PASSWORD = finance_bench.ADMIN_PASSWORD
FULFILMENTS = int(os.environ.get("BENCH_FULFILMENTS", "100000"))
FIELD_SERVICE = int(os.environ.get("BENCH_FIELD_SERVICE", "50000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
REUSE = os.environ.get("BENCH_REUSE", "") not in ("", "0")
SERVED = ROOT / ".local" / "bench-console" / f"lists-slot{SLOT}"  # the console directory the gateway serves
THROTTLE = 4
TARGET_MS = 300
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

# performance.now() from the click to the frame after the list's first card is in the DOM
PAINTED = """async ([find, done]) => {
  const target = new Function('return (' + find + ')()')();
  const t0 = performance.now();
  target.click();
  while (!document.querySelector(done)) await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  return performance.now() - t0;
}"""
MENU = "() => [...document.querySelectorAll('nav.side li.el-menu-item')].find((e) => e.textContent.includes('{}'))"
TAB = "() => [...document.querySelectorAll('label.el-radio-button')].find((e) => e.textContent.trim() === '{}')"
FIRST = "() => document.querySelector('{}')"
# (label, what to click, what shows the first page, the API call under it)
LISTS = [
    ("发货 · fulfilments", MENU.format("发货"), "[data-test=fulfilment]", "/fulfilments?status=open&limit=50"),
    ("发货 · a fulfilment's shipments", FIRST.format("[data-test=fulfilment]"), "[data-test=shipment]", None),
    ("财务 · 应收 receivables", MENU.format("财务"), "[data-test=receivable]", "/receivables?limit=50"),
    ("财务 · 发票 invoices", TAB.format("发票"), "[data-test=invoice]", "/invoices?limit=50"),
    ("现场服务 board", MENU.format("现场服务"), "[data-test=service-order]", "/field-service-orders?limit=100"),
    ("工作区 · 来电 calls", TAB.format("来电"), "[data-test=call]", "/calls?status=pending&limit=50"),
    ("工作区 · 工单 work orders", TAB.format("工单"), "[data-test=work-order]", "/work-orders?status=open&limit=50"),
]


def load_logistics(dsn: str, owner_id: str) -> None:
    """Fulfilments (a third still open) with one line each, 1.5 shipments per fulfilment, and
    field-service orders spread over every state; departments as bench/finance.py's."""
    states = "ARRAY['new','dispatched','confirmed','in_service','serviced','feedback_given','audited'," \
             "'fee_stated','hq_audited','settled']"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"""
            INSERT INTO fulfilments (id, order_id, order_number, customer_id, currency, status, owner_id,
                                     department_path, branch, created_at, updated_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'SO-HQ-B-' || lpad(g::text, 7, '0'), gen_random_uuid(),
                   'CNY', CASE WHEN g % 3 = 0 THEN 'open' ELSE 'completed' END, '{owner_id}',
                   CASE WHEN g % 2 = 0 THEN '/hq/east/' ELSE '/hq/west/' END, 'HQ',
                   now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, {FULFILMENTS}) g""")
        conn.execute("""
            INSERT INTO fulfilment_lines (id, fulfilment_id, position, order_line_id, product_id, product_name,
                                          ordered, shipped)
            SELECT gen_random_uuid(), f.id, 1, gen_random_uuid(), gen_random_uuid(), '天马 Widget', 10,
                   CASE WHEN f.status = 'open' THEN 4 ELSE 10 END FROM fulfilments f""")
        conn.execute("""
            INSERT INTO shipments (id, number, fulfilment_id, order_id, status, carrier, tracking_no, freight_fee,
                                   freight_currency, shipped_at, owner_id, department_path, branch, created_at,
                                   updated_at)
            SELECT gen_random_uuid(), 'SH-HQ-B-' || row_number() OVER (), f.id, f.order_id,
                   CASE WHEN n = 1 THEN 'delivered' ELSE 'shipped' END, '顺丰', 'SF' || (random() * 1e10)::bigint,
                   12.50, 'CNY', f.created_at + interval '1 day', f.owner_id, f.department_path, f.branch,
                   f.created_at + interval '1 day', now()
            FROM fulfilments f, generate_series(1, 2) n WHERE n = 1 OR f.status = 'open' OR random() < 0.25""")
        conn.execute("""
            INSERT INTO shipment_lines (id, shipment_id, position, fulfilment_line_id, quantity)
            SELECT gen_random_uuid(), s.id, 1, l.id, 2 FROM shipments s JOIN fulfilment_lines l
                ON l.fulfilment_id = s.fulfilment_id""")
        conn.execute(f"""
            INSERT INTO field_service_orders (id, number, status, contact_name, contact_phone, address,
                                              fault_description, feedback_late, history, owner_id,
                                              department_path, branch, created_at, updated_at)
            SELECT gen_random_uuid(), 'FS-HQ-B-' || lpad(g::text, 7, '0'), ({states})[1 + g % 10], '李工',
                   '139' || lpad(g::text, 8, '0'), '宁波市鄞州区 ' || g || ' 号', '异响', false, '[]'::jsonb,
                   '{owner_id}', CASE WHEN g % 2 = 0 THEN '/hq/east/' ELSE '/hq/west/' END, 'HQ',
                   now() - (g || ' minutes')::interval, now()
            FROM generate_series(1, {FIELD_SERVICE}) g""")
        for table in ("fulfilments", "fulfilment_lines", "shipments", "shipment_lines", "field_service_orders"):
            conn.execute(f"VACUUM ANALYZE {table}")


def api_ms(base: str, token: str, path: str, repeat: int = 10) -> list[float]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.get(base + path, timeout=60).raise_for_status()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        session.get(base + path, timeout=60).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def loaded(dsn: str) -> bool:
    """Whether an earlier run left this slot's databases with the bench's data (BENCH_REUSE)."""
    try:
        for db, table, least in (("logistics", "fulfilments", FULFILMENTS), ("logistics", "field_service_orders", FIELD_SERVICE),
                                 ("finance", "receivables", finance_bench.RECEIVABLES), ("workspace", "call_records", 1)):
            with psycopg.connect(dsn.format(db), connect_timeout=5) as conn:
                if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] < least:
                    return False
    except psycopg.Error:
        return False
    return True


def measure(base: str, served: dict) -> dict:
    """{build: {list: [ms, …]}}; rounds alternate between the builds."""
    results = {name: {label: [] for label, *_ in LISTS} for name in served}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(ROUNDS):
            for name, dist in served.items():
                serve(dist, SERVED)
                one_round(browser, base, results[name])
        browser.close()
    return results


def one_round(browser, base: str, figures: dict) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(120000)
    page.goto(base + "/login")
    page.fill("#login-user", "admin")
    page.fill("#login-password", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_selector("nav.side")
    page.wait_for_load_state("networkidle")
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    for label, find, done, _path in LISTS:
        if label.startswith("工作区 · 来电"):  # its tabs are inside 工作区
            page.evaluate(f"({MENU.format('工作区')})().click()")
            page.wait_for_function(f"() => !!({TAB.format('来电')})()")
            page.wait_for_load_state("networkidle")
        figures[label].append(page.evaluate(PAINTED, [find, done]))
        page.wait_for_load_state("networkidle")
    context.close()


def main() -> None:
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        sys.exit("The console is not built: make bench-console-lists builds it first (make console)")
    os.environ.update(local_secrets())
    gateway_port, health_base = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
    prefix = f"crm_bench{SLOT}_"
    stack = Stack(db_prefix=prefix, vhost=f"crm-bench{SLOT}", gateway_port=gateway_port,
                  health_base=health_base, log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000", "CRM_CONSOLE_DIR": str(SERVED)})
    dsn = f"postgresql://postgres@127.0.0.1:5432/{prefix}" + "{}"
    base = f"http://127.0.0.1:{gateway_port}"
    served = builds()
    serve(next(iter(served.values())), SERVED)
    reuse = REUSE and loaded(dsn)
    if REUSE and not reuse:
        print(f"BENCH_REUSE: the databases {prefix}* do not hold the data: preparing them afresh", flush=True)
    try:
        print(f"starting the suite on slot {SLOT} (gateway :{gateway_port}) …", flush=True)
        stack.prepare(fresh=not reuse)
        stack.start_all()
        admin = finance_bench.Api(base + "/api/v1")
        token = admin.login("admin", ADMIN_PASSWORD)
        owner_id = admin.call("GET", "/me")["id"]
        load_s = 0.0
        if not reuse:
            started = time.monotonic()
            load_logistics(dsn.format("logistics"), owner_id)
            finance_bench.load(dsn.format("finance"), owner_id)
            people = requests.Session()
            people.headers["Authorization"] = f"Bearer {token}"
            east, west, users = workspace_bench.make_people(base + "/api/v1", people)
            with psycopg.connect(dsn.format("workspace"), autocommit=True) as conn:
                workspace_bench.load(conn, east, west, users)
            load_s = time.monotonic() - started
            print(f"loaded in {load_s:.0f} s; measuring …", flush=True)
        floors = {label: api_ms(base + "/api/v1", token, path) for label, _, _, path in LISTS if path}
        load_before = os.getloadavg()[0]
        results = measure(base, served)
        load_after = os.getloadavg()[0]
    finally:
        stack.stop_all()
    loaded_how = f"loaded in {load_s:.0f} s" if load_s else "databases of an earlier run, BENCH_REUSE"
    print(f"\n# console part-2 lists: {FULFILMENTS:,} fulfilments, {FIELD_SERVICE:,} field-service orders, "
          f"{finance_bench.RECEIVABLES:,} receivables, workspace scale {workspace_bench.SCALE:g} "
          f"({loaded_how}); {os.cpu_count()} cores, Chromium CPU throttled {THROTTLE}x, {ROUNDS} rounds per build; "
          f"load average while measuring {load_before:.1f} → {load_after:.1f} (the machine is shared)")
    for name, figures in results.items():
        print(f"\n## build: {name}")
        print(f"{'first page painted after the click, ms':<40}{'p50':>8}{'p95':>8}{'max':>8}{'API p50':>9}"
              f"{'ratio':>7}{'target':>8}")
        for label, values in figures.items():
            floor = statistics.median(floors[label]) if label in floors else None
            ratio = f"{statistics.median(values) / floor:.1f}" if floor else "—"
            print(f"{label:<40}{statistics.median(values):>8.0f}{pct(values, 0.95):>8.0f}{max(values):>8.0f}"
                  f"{(f'{floor:.0f}' if floor else '—'):>9}{ratio:>7}{TARGET_MS:>8}")
    names = list(results)
    for name in names[1:]:
        print(f"\n## {name} / {names[0]} (p50 ratios)")
        for label in results[name]:
            ratio = statistics.median(results[name][label]) / max(statistics.median(results[names[0]][label]), 1e-9)
            print(f"{label:<40}{ratio:>8.2f}x")


if __name__ == "__main__":
    main()
