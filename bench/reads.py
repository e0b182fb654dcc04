"""Reads at a million (issue 15): `.venv/bin/python bench/reads.py`.

Starts a private suite (databases crm_bench<slot>r_*, vhost crm-bench<slot>r; the slot is
CRM_TEST_SLOT, default 7: gateway on 19060 + 200 x slot) with 20 reps (data scope `own`) and a
manager who sees everything, loads customers the way the CSV import writes them (customer rows
with their recycle due date, one `imported` history row each, contacts for half, the monthly
rollup; the name's character pairs are an index expression, so no loader can miss them), and
measures through the HTTP API with bench/loadgen.py, every figure next to a floor of the same run:

  1. the detail of one customer at 10,000 and again at BENCH_READS_CUSTOMERS (1,000,000)
     customers: the same customer, c=1; the ratio must stay <= 1.2;
  2. at full size, interleaved in BENCH_ROUNDS rounds: the floor (same HTTP stack + one raw
     AMQP request/reply + one primary-key query + a body of the detail's size), GET one customer
     and "my customers" (first page of 50 by name, as a rep) at c=1 and c=16, name contains
     天马 as the manager (c=1, p95);
  3. the mix (16 reps on 16 connections: 40 % customer list, 30 % detail, 30 % order list,
     BENCH_MIX_SECONDS) with one customers process and with two (competing consumers on its
     RPC queue, as Kubernetes replicas are); per-process CPU per request;
  4. the largest RSS of every service process during the run.

BENCH_PROFILE=1 also records the customers process with py-spy during a mix and prints where
its samples went (SQL, statement preparation, ORM hydration, marshmallow, JSON, AMQP publish);
BENCH_PROFILE=gateway records the gateway instead (HTTP server, werkzeug, routing, auth, RPC call,
JSON, metrics, logging), BENCH_PROFILE=customers,gateway both, one after the other.
Knobs: BENCH_READS_CUSTOMERS, BENCH_HTTP_SECONDS (5), BENCH_ROUNDS (2), BENCH_MIX_SECONDS (60).
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import requests
from psycopg.types.json import Jsonb

from measure import CpuMeter, percentile, pids_named, start_helper

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack, local_secrets  # noqa: E402

warnings.filterwarnings("ignore")
SLOT = int(os.environ.get("CRM_TEST_SLOT", "7"))
CUSTOMERS = int(os.environ.get("BENCH_READS_CUSTOMERS", "1000000"))
SMALL = min(10_000, CUSTOMERS)
SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
MIX_SECONDS = float(os.environ.get("BENCH_MIX_SECONDS", "60"))
PROFILE = [{"1": "customers"}.get(name, name) for name in os.environ.get("BENCH_PROFILE", "").split(",") if name]
# BENCH_PING_AB=1: also GET one customer and the mix with every pooled connection pinged before use
# (CRM_DB_PING_AFTER_IDLE_SECONDS=0, as before crm_common.database.ping_when_idle), same run
PING_AB = os.environ.get("BENCH_PING_AB") == "1"
WARMUP = 1.0
REPS, MIX_USERS = 20, 16
ADMIN_PASSWORD = "admin-bench-password"
ECHO_SERVICE = "bench_echo"
# Odoo 17 on this machine (issue 15's table, upper ends): the targets are twice these.
ODOO = {"detail c1": 80, "detail c16": 173, "mine c1": 73, "mine c16": 177}
MIX_BEFORE = 94  # req/s of the mix before issue 15

CITIES = ["上海", "杭州", "宁波", "南京", "苏州", "广州", "深圳", "北京", "成都", "武汉", "青岛", "厦门"]
WORDS = list("天马华盛金鑫恒泰宏达永安嘉禾瑞丰德润新源中科博远汇通广利众诚宝龙正大长江东方明珠兴隆信达万家富强")
TRADES = [("贸易", "wholesale_retail"), ("科技", "it"), ("机械", "manufacturing"), ("食品", "manufacturing"),
          ("建材", "construction"), ("纺织", "manufacturing"), ("电子", "manufacturing"), ("物流", "other"),
          ("医药", "healthcare"), ("化工", "manufacturing")]
SURNAMES, GIVEN = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"), list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
# dictionary codes (the gateway's seed, crm_common.picklists): what the API would have stored
LEVELS, SOURCES = ["a", "b", "c", "d"], ["referral", "trade_fair", "website", "cold_visit", "campaign"]


class Api:
    def __init__(self, base, username, password):
        self.base, self.http = base, requests.Session()
        answer = self.http.post(f"{base}/auth/login", json={"username": username, "password": password}, timeout=30)
        answer.raise_for_status()
        self.token = answer.json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def call(self, method, path, **kw):
        response = self.http.request(method, self.base + path, timeout=60, **kw)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()


def make_org(admin: Api, base: str) -> dict:
    root = admin.call("GET", "/me")["department"]
    perms = ["customers.read", "customers.write", "orders.read", "orders.write", "products.read"]
    rep_role = admin.call("POST", "/roles", json={"name": "bench rep", "data_scope": "own", "permissions": perms})
    manager_role = admin.call("POST", "/roles", json={"name": "bench manager", "data_scope": "all",
                                                      "permissions": ["customers.read", "orders.read"]})
    dept = admin.call("POST", "/departments", json={"name": "销售一部", "parent_id": root["id"]})
    reps = []
    for r in range(REPS):
        user = admin.call("POST", "/users", json={"code": f"rep{r:02d}", "name": f"销售{r:02d}",
                                                  "department_id": dept["id"], "password": "bench-password",
                                                  "role_ids": [rep_role["id"]]})
        reps.append({"id": user["id"], "path": dept["path"], "code": f"rep{r:02d}"})
    admin.call("POST", "/users", json={"code": "manager", "name": "销售总监", "department_id": root["id"],
                                       "password": "bench-password", "role_ids": [manager_role["id"]]})
    product = admin.call("POST", "/products", json={"code": "BENCH-1", "name": "测试产品", "list_price": "19.99"})
    for rep in reps[:MIX_USERS]:  # each mix user has a customer and a few orders through the API
        api = Api(base, rep["code"], "bench-password")
        rep["api"] = api
        customer = api.call("POST", "/customers", json={"name": f"{rep['code']} 自建客户", "confirm_duplicate": True})
        rep["customer_id"] = customer["id"]
        for _ in range(5):
            api.call("POST", "/orders", json={"customer_id": customer["id"],
                                              "lines": [{"product_id": product["id"], "quantity": "1"}]})
    return {"reps": reps, "manager": Api(base, "manager", "bench-password")}


def company(rng: random.Random) -> tuple[str, str, str]:
    city = rng.choice(CITIES)
    trade, industry = rng.choice(TRADES)
    return f"{city}{''.join(rng.sample(WORDS, rng.choice((2, 2, 3))))}{trade}有限公司", city, industry


def load(db_url: str, reps: list, first: int, n: int, actor: str) -> None:
    """COPY customers first..first+n-1 as the CSV import writes them (exchange/use_cases.py):
    the row with its keys and recycle due date, an `imported` history row, plus a contact for
    every other one. Secondary indexes are dropped and rebuilt in one pass, the monthly rollup
    recomputed (the import keeps both row by row; the result is the same)."""
    from crm_customers.customers.models import REBUILD_SQL, TRIGGER
    from crm_customers.customers.rules import name_key
    rng = random.Random(first)
    now = datetime.now(timezone.utc)
    tables = ("customers", "contacts", "customer_history")
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        due = dict(conn.execute("SELECT r.value_level, r.days_without_followup FROM pool_rules r"
                                " JOIN pools p ON p.id = r.pool_id"
                                " WHERE p.is_default AND r.days_without_followup IS NOT NULL").fetchall())
        indexes = conn.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)
                                  AND indexname NOT LIKE '%%pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%%'""",
                               (list(tables),)).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        conn.execute(f"ALTER TABLE customers DISABLE TRIGGER {TRIGGER}")
        cols = ("id", "code", "kind", "name", "industry", "source", "value_level", "city", "status", "tags",
                "custom", "name_key", "in_pool", "last_activity_at", "recycle_due_at", "owner_id", "department_path",
                "branch", "created_at", "updated_at")
        ids, contacts = [], []
        with conn.cursor() as cur:
            with cur.copy(f"COPY customers ({', '.join(cols)}) FROM STDIN") as copy:
                for i in range(first, first + n):
                    name, city, industry = company(rng)
                    rep = reps[i % len(reps)]
                    created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
                    level = rng.choice(LEVELS)
                    days = due.get(level, due.get("*"))
                    cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                    copy.write_row((cid, f"C-HQ-B-{i:07d}", "company", name, industry, rng.choice(SOURCES), level,
                                    city, "customer", [], "{}", name_key(name), False, created,
                                    created + timedelta(days=days) if days else None, rep["id"], rep["path"], "HQ",
                                    created, created))
                    ids.append((cid, created))
                    if i % 2 == 0:
                        contacts.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), cid,
                                         rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                                         f"1{rng.randrange(3, 9)}{rng.randrange(10**9):09d}", False, "{}", created,
                                         created))
            with cur.copy("COPY customer_history (customer_id, kind, actor_id, data, created_at) FROM STDIN") as copy:
                for cid, created in ids:
                    copy.write_row((cid, "imported", actor, Jsonb({"created": True}), created))
            with cur.copy("COPY contacts (id, customer_id, name, mobile, is_key_member, custom, created_at,"
                          " updated_at) FROM STDIN") as copy:
                for row in contacts:
                    copy.write_row(row)
        for _name, definition in indexes:
            conn.execute(definition)
        conn.execute(f"ALTER TABLE customers ENABLE TRIGGER {TRIGGER}")
        conn.execute(REBUILD_SQL)
        for table in tables:
            conn.execute(f"VACUUM ANALYZE {table}")


# ---------------------------------------------------------------- measuring

class RssWatch(threading.Thread):
    """The largest resident set of each watched process, sampled every 0.5 s."""

    def __init__(self, pids: dict):
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = dict(pids), {}, True

    def run(self):
        while self.running:
            for name, pid in list(self.pids.items()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                lines = [line for line in status.splitlines() if line.startswith("VmRSS")]
                if not lines:  # exiting
                    continue
                kib = int(lines[0].split()[1])
                self.peak[name] = max(self.peak.get(name, 0), kib / 1024)
            time.sleep(0.5)


def loadgen(spec: dict, pids: dict) -> dict:
    """Run one load spec, with the CPU of `pids` (and PostgreSQL, the machine) per request."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    meter = CpuMeter(pids, postgres=True)
    meter.start()
    out = subprocess.run([sys.executable, str(BENCH / "loadgen.py"), "--spec", handle.name], capture_output=True,
                         text=True, cwd=ROOT, timeout=spec["seconds"] + spec["warmup"] + 120)
    cpu = meter.stop()
    os.unlink(handle.name)
    if out.returncode != 0:
        raise RuntimeError(f"loadgen failed: {out.stderr[-2000:]}")
    data = json.loads(out.stdout)
    if data["error_count"]:
        raise RuntimeError(f"{data['error_count']} non-200 answers, e.g. {data['errors']}")
    share = data["wall_s"] / (data["wall_s"] + spec["warmup"])  # the meter also saw the warm-up
    n = len(data["latencies_ms"])
    cpu = {"client": data["client_cpu_s"], **{k: v * share for k, v in cpu.items()}}
    return {"n": n, "per_s": n / data["wall_s"], "latencies": data["latencies_ms"], "by_label": data["by_label"],
            "cpu_ms_each": {k: 1000 * v / n for k, v in cpu.items()}}


def spec(port, connections, seconds=SECONDS):
    return {"host": "127.0.0.1", "port": port, "seconds": seconds, "warmup": WARMUP, "connections": connections}


def same(headers, label, path, c):
    return [{"headers": headers, "requests": [[label, 1, path]]}] * c


def pooled(results: list) -> dict:
    lat = sorted(ms for r in results for ms in r["latencies"])
    n = sum(r["n"] for r in results)
    wall = sum(r["n"] / r["per_s"] for r in results)
    cpu = {}
    for r in results:
        for k, v in r["cpu_ms_each"].items():
            cpu[k] = cpu.get(k, 0.0) + v * r["n"] / n
    labels = {}
    for r in results:
        for k, v in r["by_label"].items():
            labels.setdefault(k, []).extend(v)
    return {"n": n, "per_s": n / wall, "p50": percentile(lat, 0.5), "p95": percentile(lat, 0.95),
            "p99": percentile(lat, 0.99), "cpu_ms_each": cpu,
            "by_label": {k: {"n": len(v), "p50": percentile(sorted(v), 0.5), "p99": percentile(sorted(v), 0.99)}
                         for k, v in labels.items()}}


def cpu_text(row) -> str:
    cpu = row["cpu_ms_each"]
    listed = {k: v for k, v in cpu.items() if k not in ("machine", "steal")}
    parts = [f"{k} {v:.2f}" for k, v in listed.items()]
    parts.append(f"other {max(0.0, cpu['machine'] - sum(listed.values())):.2f}")
    return "  ".join(parts)


def profile(pid: int, seconds: float, run_load, gateway: bool = False) -> dict:
    """py-spy on one process while run_load() runs: sample counts per layer (bench/profile_split.py)."""
    from profile_split import split
    out = Path(tempfile.mkdtemp()) / "profile.txt"
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(pid), "-r", "250",
                            "-d", str(int(seconds)), "-f", "raw", "-o", str(out), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run_load()
    spy.wait(timeout=seconds + 60)
    return split(out.read_text(), gateway)


# ---------------------------------------------------------------- main

def restart(stack: Stack, env: dict, pids: dict) -> dict:
    """The customers service and the gateway again, with `env` added; the new pids."""
    for component in ("customers", "gateway"):
        process = stack.processes[component]
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    stack.extra_env.update(env)
    for component in ("customers", "gateway"):
        stack.start(component)
    for component in ("customers", "gateway"):
        stack.wait_ready(component)
    return {**pids, **{c: stack.processes[c].pid for c in ("customers", "gateway")}}


def start_replica(stack: Stack, number: int) -> subprocess.Popen:
    """Another customers process on the same queue (its own health port), as a replica."""
    port = stack.health_base + 10 + number
    return start_customers(stack, {**stack.env("customers"), "CRM_HEALTH_PORT": str(port)}, port,
                           f"customers-{number}.log")


def start_customers(stack: Stack, env: dict, health_port: int, log_name: str) -> subprocess.Popen:
    """A customers process of its own beside the suite's, once it answers ready."""
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    log = open(stack.log_dir / log_name, "ab")
    process = subprocess.Popen([sys.executable, "-m", "crm_customers"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{health_port}/readyz", timeout=2).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the customers process logging to {log_name} did not become ready")


def main() -> None:
    os.environ.update(local_secrets())
    port, health = 19060 + 200 * SLOT, 19160 + 200 * SLOT
    floor_port = port + 10
    prefix = f"crm_bench{SLOT}r_"
    stack = Stack(db_prefix=prefix, vhost=f"crm-bench{SLOT}r", gateway_port=port, health_base=health,
                  log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "7200",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    db_url = f"postgresql://postgres@127.0.0.1:5432/{prefix}customers"
    helper_env = {**os.environ, "PSYCOPG_WAIT_FUNC": "wait_select", "PYTHONWARNINGS": "ignore"}
    helpers, replica, started = [], None, time.monotonic()
    try:
        print(f"starting the suite (gateway :{port}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        base = f"http://127.0.0.1:{port}/api/v1"
        admin = Api(base, "admin", ADMIN_PASSWORD)
        org = make_org(admin, base)
        reps, manager = org["reps"], org["manager"]
        actor = admin.call("GET", "/me")["id"]
        rabbit = next(iter(pids_named("beam.smp")), None)
        pids = {"gateway": stack.processes["gateway"].pid, "customers": stack.processes["customers"].pid,
                "sales": stack.processes["sales"].pid, "broker": rabbit}
        rss = RssWatch({c: p.pid for c, p in stack.processes.items()})
        rss.start()
        print(f"loading {SMALL:,} customers …", flush=True)
        t0 = time.monotonic()
        load(db_url, reps, 0, SMALL, actor)
        rep = reps[0]
        headers = {"Authorization": f"Bearer {rep['api'].token}"}
        mine = rep["api"].call("GET", "/customers", params={"limit": 50, "sort": "name"})["items"]
        detail_id = next(c["id"] for c in mine if c["code"].startswith("C-HQ-B-"))
        detail_path = f"/api/v1/customers/{detail_id}"
        body_bytes = len(rep["api"].http.get(base + f"/customers/{detail_id}").content)
        print(f"1. detail at {SMALL:,} customers …", flush=True)
        small = [loadgen(spec(port, same(headers, "detail", detail_path, 1)), pids) for _ in range(ROUNDS)]
        print(f"loading up to {CUSTOMERS:,} customers …", flush=True)
        load(db_url, reps, SMALL, CUSTOMERS - SMALL, actor)
        load_s = time.monotonic() - t0
        echo = start_helper([str(BENCH / "echo_responder.py"), stack.amqp_uri, ECHO_SERVICE], helper_env)
        helpers.append(echo)
        floor = start_helper([str(BENCH / "floor_server.py"), str(floor_port), stack.amqp_uri, ECHO_SERVICE, db_url,
                              detail_id, str(body_bytes)], helper_env)
        helpers.append(floor)
        floor_pids = {"floor": floor.pid, "echo": echo.pid, "broker": rabbit}
        mine_path = "/api/v1/customers?limit=50&sort=name"
        search_path = "/api/v1/customers?limit=50&name=" + requests.utils.quote("天马")
        manager_headers = {"Authorization": f"Bearer {manager.token}"}
        cells = {}
        print(f"2. reads at {CUSTOMERS:,}, {ROUNDS} rounds …", flush=True)
        for round_no in range(ROUNDS):
            print(f"   round {round_no + 1}/{ROUNDS}", flush=True)
            for c in (1, 16):
                cells.setdefault(f"floor c{c}", []).append(
                    loadgen(spec(floor_port, same(headers, "floor", detail_path, c)), floor_pids))
                cells.setdefault(f"detail c{c}", []).append(loadgen(spec(port, same(headers, "detail", detail_path, c)),
                                                                    pids))
                cells.setdefault(f"mine c{c}", []).append(loadgen(spec(port, same(headers, "mine", mine_path, c)),
                                                                  pids))
            cells.setdefault("search c1", []).append(
                loadgen(spec(port, same(manager_headers, "search", search_path, 1)), pids))
        again = [loadgen(spec(port, same(headers, "detail", detail_path, 1)), pids) for _ in range(ROUNDS)]
        mix = [{"headers": {"Authorization": f"Bearer {r['api'].token}"},
                "requests": [["customer list", 40, "/api/v1/customers?limit=50"],
                             ["customer detail", 30, f"/api/v1/customers/{r['customer_id']}"],
                             ["order list", 30, "/api/v1/orders?limit=50"]]} for r in reps[:MIX_USERS]]
        splits = {}
        for name in PROFILE:
            print(f"   profiling the {name} process during 20 s of the mix …", flush=True)
            splits[name] = profile(pids[name], 20, lambda: loadgen(spec(port, mix, 20), pids), name == "gateway")
        mixes = {}
        if PING_AB:
            print("   every pooled connection pinged before use (as before): GET one customer, the mix …", flush=True)
            pids = restart(stack, {"CRM_DB_PING_AFTER_IDLE_SECONDS": "0"}, pids)
            cells["detail c1, ping every use"] = [loadgen(spec(port, same(headers, "detail", detail_path, 1)), pids)
                                                  for _ in range(ROUNDS)]
            mixes["1 replica, ping every use"] = pooled([loadgen(spec(port, mix, MIX_SECONDS), pids)])
            pids = restart(stack, {"CRM_DB_PING_AFTER_IDLE_SECONDS": "1"}, pids)
            rss.pids = {**rss.pids, "customers": pids["customers"], "gateway": pids["gateway"]}
            cells["detail c1, ping when idle"] = [loadgen(spec(port, same(headers, "detail", detail_path, 1)), pids)
                                                  for _ in range(ROUNDS)]
        print(f"3. the mix, {MIX_SECONDS:g} s, one customers process …", flush=True)
        mixes["1 replica"] = pooled([loadgen(spec(port, mix, MIX_SECONDS), pids)])
        replica = start_replica(stack, 2)
        rss.pids["customers-2"] = replica.pid
        pids2 = {**pids, "customers-2": replica.pid}
        print(f"   the mix, {MIX_SECONDS:g} s, two customers processes …", flush=True)
        mixes["2 replicas"] = pooled([loadgen(spec(port, mix, MIX_SECONDS), pids2)])
        rss.running = False
        rows = {k: pooled(v) for k, v in cells.items()}
        rows["detail small"] = pooled(small)
        rows["detail large c1 (again)"] = pooled(again)
        text = report(rows, mixes, rss.peak, splits, load_s, body_bytes, time.monotonic() - started)
        print("\n" + text)
        out = ROOT / ".local" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "reads.txt").write_text(text + "\n")
        (out / "reads.json").write_text(json.dumps({"rows": rows, "mixes": mixes, "rss": rss.peak,
                                                    "profile": splits}, indent=1))
    finally:
        for helper in helpers + ([replica] if replica else []):
            helper.send_signal(signal.SIGTERM)
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                helper.kill()
        stack.stop_all()


def report(rows, mixes, rss, splits, load_s, body_bytes, elapsed) -> str:
    def verdict(ok):
        return "met" if ok else "NOT met"

    out = [f"# reads bench (issue 15): {CUSTOMERS:,} customers (loaded in {load_s:.0f} s), {os.cpu_count()} cores, "
           f"{ROUNDS} x {SECONDS:g} s per cell, whole run {elapsed:.0f} s", ""]
    out.append(f"{'measure':<44}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}   cpu ms/request")
    names = [("detail small", f"GET one customer at {SMALL:,}, c=1"), ("floor c1", "floor (HTTP+AMQP+PK+JSON), c=1"),
             ("detail c1", f"GET one customer at {CUSTOMERS:,}, c=1"),
             ("detail large c1 (again)", "  ... once more, after the other cells"),
             ("floor c16", "floor, c=16"), ("detail c16", "GET one customer, c=16"),
             ("mine c1", "my customers, first 50 by name, c=1"), ("mine c16", "my customers, c=16"),
             ("search c1", "name contains 天马, manager (all), c=1")]
    names += [(key, key) for key in rows if key.startswith("detail c1, ping")]
    for key, name in names:
        r = rows[key]
        out.append(f"{name:<44}{r['per_s']:>8.0f}{r['p50']:>8.2f}{r['p95']:>8.2f}{r['p99']:>8.2f}   {cpu_text(r)}")
    out.append("")
    for label, m in mixes.items():
        per = "  ".join(f"{k} p50 {v['p50']:.1f} p99 {v['p99']:.1f}" for k, v in sorted(m["by_label"].items()))
        out.append(f"mix, {MIX_USERS} reps on {MIX_USERS} connections, {MIX_SECONDS:g} s, {label}: {m['per_s']:.0f} req/s, "
                   f"p50 {m['p50']:.1f} ms, p99 {m['p99']:.1f} ms")
        out.append(f"   {per}")
        out.append(f"   cpu ms/request: {cpu_text(m)}")
    out.append("")
    out.append("RSS peak MiB: " + "  ".join(f"{k} {v:.0f}" for k, v in sorted(rss.items())))
    out.append("")
    flat = rows["detail c1"]["p50"] / rows["detail small"]["p50"]
    flat_cpu = rows["detail c1"]["cpu_ms_each"]["customers"] / rows["detail small"]["cpu_ms_each"]["customers"]
    out.append(f"targets (body of GET one customer: {body_bytes:,} bytes)")
    for key in ("detail c1", "detail c16", "mine c1", "mine c16"):
        need = 2 * ODOO[key]
        out.append(f"  {key}: {rows[key]['per_s']:.0f} req/s >= {need} (2x Odoo): {verdict(rows[key]['per_s'] >= need)}")
    out.append(f"  detail flat {SMALL:,} -> {CUSTOMERS:,}: p50 ratio {flat:.2f}, customers CPU ratio {flat_cpu:.2f} "
               f"(<= 1.2): {verdict(flat <= 1.2)}")
    out.append(f"  天马 as the manager, p95 {rows['search c1']['p95']:.1f} ms (< 50): "
               f"{verdict(rows['search c1']['p95'] < 50)}")
    one = mixes["1 replica"]
    best = max(mixes.values(), key=lambda m: m["per_s"])
    out.append(f"  mix: {one['per_s']:.0f} req/s with one process, {mixes['2 replicas']['per_s']:.0f} with two "
               f"(>= {4 * MIX_BEFORE}, p99 < 150 ms): "
               f"{verdict(best['per_s'] >= 4 * MIX_BEFORE and best['p99'] < 150)}")
    ratio = rows["detail c1"]["p50"] / rows["floor c1"]["p50"]
    out.append(f"  GET one customer / floor, c=1, p50: {ratio:.2f}x (<= 3): {verdict(ratio <= 3)}")
    out.append(f"  RSS < 150 MiB per service process: {verdict(all(v < 150 for v in rss.values()))}")
    for label, split in splits.items():
        total = sum(split.values())
        out.append("")
        out.append(f"profile of the {label} process (one customers process, {total} samples, py-spy 250 Hz, "
                   "idle excluded):")
        for layer, count in sorted(split.items(), key=lambda kv: -kv[1]):
            out.append(f"  {layer:<42}{100 * count / total:>6.1f} %")
    return "\n".join(out)


if __name__ == "__main__":
    main()
