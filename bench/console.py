"""The web console at a million customers (issue 12): `make bench-console`.

Starts a private suite (databases crm_bench8_*, vhost crm-bench8, gateway :20620) serving the built
console, loads BENCH_CUSTOMERS customers (default 1,000,000) with bench/customers.py's COPY loader
plus the history rows the product's create paths write beside them ('created', 'contact_added'),
then drives Debian's Chromium with the CPU throttled 4x (CDP Emulation.setCPUThrottlingRate) as a
director whose scope is the whole region (every loaded customer):
  1. first visit to 工作台 with an empty cache, signed in by the refresh cookie: interactive (every
     panel loaded) after navigation start (target <= 1500 ms); gzipped JavaScript loaded (<= 250 KB)
  2. 客户 from the menu, clicked a second after 工作台 is interactive (reading it): first page painted
     after the click (target <= 300 ms), then 下一页 (<= 200 ms each)
  3. a customer's detail from the list: header and every tab's count shown after the click (<= 400 ms)
Beside each time: the API requests it made, and Chromium's main-thread time split (CDP
Performance.getMetrics: script, layout, style recalculation, all tasks, and the main thread's CPU
time), which vary less with the machine's load than the wall time does; the CPU time least (it does
not count the time the thread waits for a core, nor the throttling's pauses).

BENCH_CONSOLE_BUILDS="before=/path/to/old/dist,after=web/dist" measures several builds of the console
against the same suite in one run, alternating round by round (the gateway serves CRM_CONSOLE_DIR, a
symbolic link the bench re-points between rounds), so the figures compare as ratios.
BENCH_REUSE=1 keeps the databases of an earlier run on the same slot when they hold the data (at
least BENCH_CUSTOMERS customers, their history and the console director): no fresh prepare and no
load, the suite is started over them (migrations applied if any are new), so a run takes minutes.
CRM_TEST_SLOT picks the ports and databases (default 8; bench/exports.py uses 5).
"""
import gzip
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from stack import Stack, local_secrets  # noqa: E402
from customers import ADMIN_PASSWORD, Api, load, make_org, pct  # noqa: E402

SLOT = int(os.environ.get("CRM_TEST_SLOT", "8"))  # bench/exports.py (issue 14) uses 5
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000000"))
REUSE = os.environ.get("BENCH_REUSE", "") not in ("", "0")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PAGES = int(os.environ.get("BENCH_PAGES", "10"))
THROTTLE = 4
READING_MS = 1000  # from 工作台 interactive to the click on 客户 (one_round)
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
CONSOLE_PERMISSIONS = ["customers.read", "customers.write", "opportunities.read", "orders.read", "contracts.read",
                       "receivables.read", "notifications.read", "announcements.read"]
TARGETS = {"desk": 1500, "js_kb": 250, "list": 300, "page": 200, "detail": 400}
MEASURES = ("desk", "list", "page", "detail")
METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration", "ThreadTime")

# In-page timers: performance.now() from the click to the frame after the DOM shows the result.
PAINTED = """async ([selector, done]) => {
  const t0 = performance.now();
  document.querySelector(selector).click();
  const test = new Function('return (' + done + ')()');
  while (!test()) await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
  return performance.now() - t0;
}"""
DESK_READY = ("() => document.querySelector('.page-head h1') && document.querySelectorAll('.grid .el-card').length"
              " && !document.querySelector('[aria-busy=true]')")
ROWS = "() => document.querySelectorAll('[data-test=customer-row]').length >= {n}"
DETAIL_READY = ("() => document.querySelector('[data-test=customer-name]') && document.querySelectorAll('.el-tabs__item')"
                ".length >= 12 && ![...document.querySelectorAll('.el-tabs__item')].some((t) => t.textContent.includes('…'))"
                " && document.querySelector('.facts .money')")


def add_history(db_url: str) -> None:
    """What the create paths write beside each row: 'created' and 'contact_added' history."""
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("""INSERT INTO customer_history (customer_id, kind, actor_id, data, created_at)
                        SELECT id, 'created', owner_id, '{"status": "customer", "stage": null}', created_at FROM customers""")
        conn.execute("""INSERT INTO customer_history (customer_id, kind, actor_id, data, created_at)
                        SELECT c.customer_id, 'contact_added', k.owner_id, jsonb_build_object('id', c.id, 'name', c.name),
                               c.created_at FROM contacts c JOIN customers k ON k.id = c.customer_id""")
        conn.execute("VACUUM ANALYZE customer_history")


def console_director(admin: Api) -> None:
    """The region's director gets the console's reads: every tab of the detail has its count."""
    role = admin.call("POST", "/roles", json={"name": "bench console director", "data_scope": "subtree",
                                              "permissions": CONSOLE_PERMISSIONS})
    director = next(u for u in admin.call("GET", "/directory/users", params={"q": "director"})["items"]
                    if u["code"] == "director")
    admin.call("PATCH", f"/users/{director['id']}", json={"role_ids": [role["id"]]})


def _main_thread(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] in METRICS}


def _timed(page, cdp, api: list, figures: dict, key: str, run):
    """Runs one measured step: its time, API requests and main-thread split go into figures."""
    before, sent = _main_thread(cdp), len(api)
    figures[key].append(run())
    after = _main_thread(cdp)
    figures[f"{key}_api"].append(len(api) - sent)
    for metric in METRICS:
        figures[f"{key}_{metric}"].append((after[metric] - before[metric]) * 1000)


def _blank() -> dict:
    figures: dict = {"js_kb": []}
    for key in MEASURES:
        figures[key], figures[f"{key}_api"] = [], []
        for metric in METRICS:
            figures[f"{key}_{metric}"] = []
    return figures


def measure(base: str, builds: dict) -> dict:
    """{build: figures}; rounds alternate between the builds (the served directory is re-pointed)."""
    results = {name: _blank() for name in builds}
    load = [os.getloadavg()[0]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for _ in range(ROUNDS):
            for name, dist in builds.items():
                serve(dist)
                one_round(browser, base, results[name], dist)
        browser.close()
    load.append(os.getloadavg()[0])
    return {"builds": results, "load": load}


def served_kb(dist: Path, urls) -> float:
    """Gzipped size of the scripts at these URLs, read from the served files on disk (a response's
    body cannot be read once the page has navigated on: Chromium drops it)."""
    total = 0
    for url in set(urls):
        file = Path(dist) / urlparse(url).path.lstrip("/")
        if file.is_file():
            total += len(gzip.compress(file.read_bytes(), 9))
    return total / 1024


def one_round(browser, base: str, figures: dict, dist: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(base + "/login")
    page.fill("#login-user", "director")
    page.fill("#login-password", "bench-password")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_function(DESK_READY)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Performance.enable")
    cdp.send("Network.clearBrowserCache")  # the refresh cookie stays: a later visit of a signed-in user
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    api: list = []
    page.on("request", lambda r: api.append(r.url) if "/api/" in r.url else None)

    def desk():
        page.goto(base + "/", wait_until="commit")
        # the time is read in the frame that finds the desk ready, not a round trip later (on a
        # loaded machine that is long enough for the idle-time preloads to start and be counted)
        return page.wait_for_function(f"() => ({DESK_READY})() && performance.now()", polling="raf").json_value()
    _timed(page, cdp, api, figures, "desk", desk)
    # the first route's JavaScript: scripts requested before it was interactive (not what it
    # preloads afterwards for the next screens)
    first = set(page.evaluate("""(t) => performance.getEntriesByType('resource')
        .filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js')).filter((e) => e.startTime <= t)
        .map((e) => e.name)""", figures["desk"][-1]))
    figures["js_kb"].append(served_kb(dist, first))

    # A person reads the desk before going on: the click comes a second after it is interactive, as
    # the console expects (its idle-time preload of 客户 starts when the last panel has arrived); a
    # click within milliseconds of the last panel measured that preload's chunk loading instead.
    page.wait_for_timeout(READING_MS)
    _timed(page, cdp, api, figures, "list", lambda: page.evaluate(
        PAINTED, ["nav.side li.el-menu-item:nth-of-type(2)", ROWS.format(n=1)]))
    page.wait_for_load_state("networkidle")
    for n in range(2, PAGES + 2):
        _timed(page, cdp, api, figures, "page", lambda n=n: page.evaluate(PAINTED, ["[data-test=more]", ROWS.format(n=20 * n)]))
    for i in range(3):
        page.evaluate("() => window.scrollTo(0, 0)")
        row = f"[data-test=customer-table] tbody tr:nth-child({i + 1}) a[data-test=customer-row]"
        _timed(page, cdp, api, figures, "detail", lambda row=row: page.evaluate(PAINTED, [row, DETAIL_READY]))
        page.wait_for_load_state("networkidle")
        page.go_back()
        page.wait_for_selector("[data-test=customer-row]")
        page.wait_for_load_state("networkidle")
    context.close()


SERVED = ROOT / ".local" / "bench-console" / f"slot{SLOT}"


def serve(dist: Path, link: Path = SERVED) -> None:
    """Points the gateway's console directory (a symbolic link) at `dist`."""
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_suffix(".new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(dist).resolve())
    temporary.replace(link)


def report(measured: dict, load_s: float) -> None:
    load = measured["load"]
    builds = measured["builds"]
    loaded_how = f"loaded in {load_s:.0f} s" if load_s else "databases of an earlier run, BENCH_REUSE"
    print(f"\n# console bench: {CUSTOMERS:,} customers ({loaded_how}), {os.cpu_count()} cores, "
          f"Chromium CPU throttled {THROTTLE}x, {ROUNDS} rounds per build; load average while measuring "
          f"{load[0]:.1f} → {load[1]:.1f} (the machine is shared)")
    labels = {"desk": "工作台 first visit, empty cache: interactive ms", "js_kb": "JavaScript for the first route, KB gz",
              "list": "客户 first page painted after the click, ms", "page": "客户 each further page (下一页), ms",
              "detail": "客户 detail with every tab's count, ms"}
    for name, figures in builds.items():
        print(f"\n## build: {name}")
        print(f"{'measure':<50}{'p50':>9}{'p95':>9}{'max':>9}{'target':>9}   API calls, main thread p50 ms "
              f"(script / layout / style / all tasks / CPU)")
        for key, label in labels.items():
            values = figures[key]
            extra = ""
            if key in MEASURES:
                extra = (f"   {statistics.median(figures[f'{key}_api']):.0f} calls, "
                         + " / ".join(f"{statistics.median(figures[f'{key}_{m}']):.0f}" for m in METRICS))
            print(f"{label:<50}{statistics.median(values):>9.1f}{pct(values, 0.95):>9.1f}{max(values):>9.1f}"
                  f"{TARGETS[key]:>9}{extra}")
    if len(builds) > 1:
        names = list(builds)
        base = builds[names[0]]
        for name in names[1:]:
            print(f"\n## {name} / {names[0]} (p50 ratios)")
            for key in (*MEASURES, "js_kb"):
                ratio = statistics.median(builds[name][key]) / max(statistics.median(base[key]), 1e-9)
                line = f"{labels[key]:<50}{ratio:>8.2f}x"
                if key in MEASURES:
                    line += "   main thread " + " / ".join(
                        f"{statistics.median(builds[name][f'{key}_{m}']) / max(statistics.median(base[f'{key}_{m}']), 1e-9):.2f}x"
                        for m in METRICS)
                print(line)


def loaded(db_url: str) -> bool:
    """Whether an earlier run left this slot's databases with the bench's data (BENCH_REUSE)."""
    try:
        with psycopg.connect(db_url, connect_timeout=5) as conn:
            customers = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
            history = conn.execute("SELECT EXISTS (SELECT 1 FROM customer_history WHERE kind = 'contact_added')").fetchone()[0]
        with psycopg.connect(db_url.rsplit("_", 1)[0] + "_gateway", connect_timeout=5) as conn:
            director = conn.execute("""SELECT 1 FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r
                                       ON r.id = ur.role_id WHERE u.code = 'director'
                                       AND r.name = 'bench console director'""").fetchone()
    except psycopg.Error:
        return False
    return customers >= CUSTOMERS and history and director is not None


def builds() -> dict:
    spec = os.environ.get("BENCH_CONSOLE_BUILDS", "")
    if not spec:
        return {"web/dist": ROOT / "web" / "dist"}
    named = dict(part.split("=", 1) for part in spec.split(","))
    for dist in named.values():
        if not (Path(dist) / "index.html").is_file():
            sys.exit(f"{dist} holds no built console")
    return {name: Path(dist) for name, dist in named.items()}


def main() -> None:
    if not (ROOT / "web" / "dist" / "index.html").is_file():
        sys.exit("The console is not built: make bench-console builds it first (make console)")
    os.environ.update(local_secrets())
    serve(next(iter(builds().values())))
    gateway_port, health_base = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
    stack = Stack(db_prefix=f"crm_bench{SLOT}_", vhost=f"crm-bench{SLOT}", gateway_port=gateway_port,
                  health_base=health_base, log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000", "CRM_CONSOLE_DIR": str(SERVED)})
    db_url = f"postgresql://postgres@127.0.0.1:5432/crm_bench{SLOT}_customers"
    reuse = REUSE and loaded(db_url)
    if REUSE and not reuse:
        print(f"BENCH_REUSE: the databases crm_bench{SLOT}_* do not hold {CUSTOMERS:,} customers with their history "
              "and the console director: preparing them afresh", flush=True)
    try:
        print(f"starting the suite (gateway :{gateway_port}) …", flush=True)
        stack.prepare(fresh=not reuse)
        stack.start_all()
        load_s = 0.0
        if not reuse:
            admin = Api(f"http://127.0.0.1:{gateway_port}/api/v1", "admin", ADMIN_PASSWORD)
            org = make_org(admin)
            console_director(admin)
            started = time.monotonic()
            load(db_url, org["owners"], CUSTOMERS)
            add_history(db_url)
            load_s = time.monotonic() - started
        report(measure(f"http://127.0.0.1:{gateway_port}", builds()), load_s)
    finally:
        stack.stop_all()


if __name__ == "__main__":
    main()
