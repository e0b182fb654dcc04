"""`make bench`: start a private copy of the suite, measure, print a table, stop everything.

Three figures, each against a floor measured in the same run on the same machine:
1. one RPC hop (serial, gateway's RpcClient) vs a raw py-amqp echo responder on the same broker;
2. gateway GET /api/v1/customers/{id} vs the same HTTP stack answering a constant;
3. approve -> receivable visible through the API, one order at a time.
Results are also written to .local/bench/last.json. Method and figures: docs/benchmarks.md.

Knobs (environment): BENCH_RPC_CALLS (2000), BENCH_HTTP_SECONDS (6), BENCH_ORDERS (120).
"""
import datetime
import warnings
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack, local_secrets  # noqa: E402

PY = sys.executable
ADMIN_PASSWORD = "admin-bench-password"
FLOOR_PORT = 19050
ECHO_SERVICE = "bench_echo"
RPC_CALLS = int(os.environ.get("BENCH_RPC_CALLS", "2000"))
RPC_WARMUP = 200
HTTP_SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "6"))
HTTP_WARMUP = 1.0
ORDERS = int(os.environ.get("BENCH_ORDERS", "120"))
POLL_SECONDS = 0.002
CLK_TCK = os.sysconf("SC_CLK_TCK")
warnings.filterwarnings("ignore", module="nameko")
warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")


# ---------------------------------------------------------------- measuring helpers

def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-q * len(sorted_values) // 1)))  # ceil(q * n)
    return sorted_values[min(rank, len(sorted_values)) - 1]


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if unknown."""
    if not pid:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def broker_pid() -> int | None:
    """RabbitMQ's Erlang VM, if it runs on this machine (its CPU per call is part of the cost)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "beam.smp":
                    return int(entry.name)
            except OSError:
                continue
    return None


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith("postgres"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """CPU seconds used by named processes between start() and stop(); with postgres=True also
    all PostgreSQL processes alive at start() (the pools keep their backends)."""

    def __init__(self, pids: dict, postgres=False):
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.postgres = postgres

    def start(self):
        self.before = {name: process_cpu(pid) for name, pid in self.pids.items()}
        self.pg = {pid: process_cpu(pid) for pid in postgres_pids()} if self.postgres else {}

    def stop(self) -> dict:
        used = {name: process_cpu(pid) - self.before[name] for name, pid in self.pids.items()}
        if self.postgres:
            used["postgres"] = sum(max(0.0, process_cpu(pid) - cpu) for pid, cpu in self.pg.items())
        return used


def run_json(args: list[str], env=None, go_after_warm=None) -> dict:
    """Run a bench helper; if it prints 'warm', call go_after_warm() and let it continue."""
    process = subprocess.Popen([PY, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               env=env, cwd=ROOT)
    line = process.stdout.readline()
    if line.strip() == "warm":
        if go_after_warm:
            go_after_warm()
        process.stdin.write("go\n")
        process.stdin.flush()
        line = process.stdout.readline()
    process.wait(timeout=600)
    if process.returncode != 0 or not line:
        raise RuntimeError(f"{args[0]} failed with {process.returncode}")
    return json.loads(line)


def start_helper(args: list[str], env) -> subprocess.Popen:
    process = subprocess.Popen([PY, *args], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    if process.stdout.readline().strip() != "ready":
        process.kill()
        raise RuntimeError(f"{args[0]} did not start")
    return process


# ---------------------------------------------------------------- the three benchmarks

def bench_rpc(stack: Stack, env: dict, context: dict, product_id: str, echo_pid: int, rabbit: int | None):
    targets = [
        ("raw AMQP echo (floor)", ECHO_SERVICE, "ping", [], echo_pid),
        ("sales.list_dead_letters", "sales", "list_dead_letters", [], stack.processes["sales"].pid),
        ("sales.get_product", "sales", "get_product", [product_id], stack.processes["sales"].pid),
    ]
    results = []
    for label, service, method, args, server_pid in targets:
        meter = CpuMeter({"server": server_pid, "broker": rabbit}, postgres=True)
        data = run_json([str(BENCH / "rpc_hop.py"), stack.amqp_uri, service, method, json.dumps(args),
                         json.dumps(context), str(RPC_CALLS), str(RPC_WARMUP)], env=env, go_after_warm=meter.start)
        cpu = meter.stop()
        lat = data["latencies_ms"]
        results.append({
            "label": label, "calls": len(lat), "p50_ms": percentile(lat, 0.5), "p99_ms": percentile(lat, 0.99),
            "mean_ms": sum(lat) / len(lat),
            "cpu_ms_per_call": {"client": 1000 * data["client_cpu_s"] / len(lat),
                                **{k: 1000 * v / len(lat) for k, v in cpu.items()}},
        })
    return results


def bench_http(stack: Stack, token: str, customer_id: str, rabbit: int | None):
    gateway_url = f"http://127.0.0.1:{stack.gateway_port}/api/v1/customers/{customer_id}"
    floor_url = f"http://127.0.0.1:{FLOOR_PORT}/api/v1/customers/{customer_id}"
    auth = f"Authorization:Bearer {token}"
    results = []
    for concurrency in (1, 16):
        for label, url, pids in (
            ("floor: eventlet.wsgi+werkzeug constant", floor_url, {"server": FLOOR.pid}),
            ("gateway GET /customers/{id}", gateway_url,
             {"gateway": stack.processes["gateway"].pid, "customers": stack.processes["customers"].pid,
              "broker": rabbit}),
        ):
            meter = CpuMeter(pids, postgres="gateway" in pids)
            meter.start()
            data = run_json([str(BENCH / "loadgen.py"), url, str(concurrency), str(HTTP_SECONDS),
                             str(HTTP_WARMUP), auth])
            cpu = meter.stop()  # includes the warm-up second; per-request figures are approximate
            lat = data["latencies_ms"]
            if data["error_count"]:
                raise RuntimeError(f"{label}: {data['error_count']} non-200 answers, e.g. {data['errors']}")
            total_requests = len(lat) * (HTTP_SECONDS + HTTP_WARMUP) / data["wall_s"]
            results.append({
                "label": label, "concurrency": concurrency, "requests": len(lat),
                "rps": len(lat) / data["wall_s"], "p50_ms": percentile(lat, 0.5), "p99_ms": percentile(lat, 0.99),
                "cpu_ms_per_request": {"client": 1000 * data["client_cpu_s"] / len(lat),
                                       **{k: 1000 * v / total_requests for k, v in cpu.items()}},
            })
    return results


def bench_approve(stack: Stack, api: "Api", customer_id: str, product_id: str):
    latencies, approve_ms, polls, stamps = [], [], [], {}
    for _ in range(ORDERS):
        order = api.post("/orders", {"customer_id": customer_id,
                                     "lines": [{"product_id": product_id, "quantity": "1"}]})
        api.post(f"/orders/{order['id']}/submit", {})
        t_req = time.perf_counter()
        api.post(f"/orders/{order['id']}/approve", {})
        t0, wall0 = time.perf_counter(), time.time()
        count = 0
        while True:
            count += 1
            items = api.get(f"/receivables?order_id={order['id']}")["items"]
            if items:
                break
            if time.perf_counter() - t0 > 30:
                raise RuntimeError(f"no receivable for order {order['id']} after 30 s")
            time.sleep(POLL_SECONDS)
        latencies.append((time.perf_counter() - t0) * 1000)
        approve_ms.append((t0 - t_req) * 1000)
        polls.append(count)
        stamps[order["id"]] = (wall0, wall0 + latencies[-1] / 1000)
    latencies.sort()
    approve_ms.sort()
    return {"orders": ORDERS, "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "max_ms": latencies[-1], "mean_polls": sum(polls) / len(polls),
            "approve_http_p50_ms": percentile(approve_ms, 0.5), "approve_http_p99_ms": percentile(approve_ms, 0.99),
            "stages": approve_stages(stack, stamps)}


def approve_stages(stack: Stack, stamps: dict) -> dict:
    """Where the time goes, from the rows' own timestamps (one clock: same machine).

    approved_at is set just before the sales commit; created_at of the fulfilment and of the
    receivable when the logistics and finance handlers insert them."""
    import psycopg

    def times(component, sql):
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}{component}") as conn:
            return {str(k): v.timestamp() for k, v in conn.execute(sql, (list(stamps),))}

    approved = times("sales", "SELECT id::text, approved_at FROM orders WHERE id::text = ANY(%s)")
    fulfilled = times("logistics", "SELECT order_id::text, created_at FROM fulfilments WHERE order_id::text = ANY(%s)")
    billed = times("finance", "SELECT order_id::text, created_at FROM receivables WHERE order_id::text = ANY(%s)")
    stages = {"approved_at -> approve response": [], "approved_at -> fulfilment inserted": [],
              "fulfilment -> receivable inserted": [], "receivable inserted -> seen by poll": []}
    for order_id, (responded, seen) in stamps.items():
        a, f, r = approved[order_id], fulfilled[order_id], billed[order_id]
        for name, value in zip(stages, (responded - a, f - a, r - f, seen - r)):
            stages[name].append(value * 1000)
    return {name: {"p50_ms": percentile(sorted(v), 0.5), "p99_ms": percentile(sorted(v), 0.99)}
            for name, v in stages.items()}


class Api:
    def __init__(self, base: str):
        self.base, self.http = base, requests.Session()

    def login(self, username, password):
        token = self.post("/auth/login", {"username": username, "password": password})["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        return token

    def _check(self, response):
        if response.status_code >= 300:
            raise RuntimeError(f"{response.request.method} {response.url}: {response.status_code} {response.text}")
        return response.json()

    def get(self, path):
        return self._check(self.http.get(self.base + path, timeout=30))

    def post(self, path, body):
        return self._check(self.http.post(self.base + path, json=body, timeout=30))


# ---------------------------------------------------------------- report

def report(meta, rpc, http, approve) -> str:
    out = [f"# CRM bench, {meta['date']} on {meta['machine']}", ""]
    floor = rpc[0]
    out.append(f"1. One RPC hop, serial, {floor['calls']} calls each (gateway RpcClient; "
               "CPU ms per call per process)")
    out.append(f"   {'target':<26}{'p50 ms':>8}{'p99 ms':>8}{'x p50':>7}{'x p99':>7}   cpu ms/call")
    for row in rpc:
        cpu = "  ".join(f"{k} {v:.2f}" for k, v in row["cpu_ms_per_call"].items())
        out.append(f"   {row['label']:<26}{row['p50_ms']:>8.2f}{row['p99_ms']:>8.2f}"
                   f"{row['p50_ms'] / floor['p50_ms']:>7.2f}{row['p99_ms'] / floor['p99_ms']:>7.2f}   {cpu}")
    worst = max(row["p50_ms"] / floor["p50_ms"] for row in rpc[1:])
    out.append(f"   target <= 3x raw AMQP (p50): {'met' if worst <= 3 else 'NOT met'} (worst {worst:.2f}x)")
    out.append("")
    out.append(f"2. HTTP GET, closed loop, {HTTP_SECONDS:g} s per cell after {HTTP_WARMUP:g} s warm-up")
    out.append(f"   {'target':<42}{'conc':>5}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}   cpu ms/request")
    for row in http:
        cpu = "  ".join(f"{k} {v:.2f}" for k, v in row["cpu_ms_per_request"].items())
        out.append(f"   {row['label']:<42}{row['concurrency']:>5}{row['rps']:>9.0f}{row['p50_ms']:>8.2f}"
                   f"{row['p99_ms']:>8.2f}   {cpu}")
    for concurrency in (1, 16):
        f, g = [r for r in http if r["concurrency"] == concurrency]
        out.append(f"   c={concurrency:<2} gateway/floor: req/s {g['rps'] / f['rps']:.2f}x, "
                   f"p50 {g['p50_ms'] / f['p50_ms']:.2f}x, p99 {g['p99_ms'] / f['p99_ms']:.2f}x")
    out.append("")
    out.append(f"3. Approve -> receivable visible via GET /receivables?order_id= "
               f"({approve['orders']} orders, one at a time, polling every {POLL_SECONDS * 1000:g} ms)")
    out.append(f"   p50 {approve['p50_ms']:.1f} ms   p99 {approve['p99_ms']:.1f} ms   max {approve['max_ms']:.1f} ms   "
               f"(polls/order {approve['mean_polls']:.1f}; approve HTTP itself p50 "
               f"{approve['approve_http_p50_ms']:.1f} ms, p99 {approve['approve_http_p99_ms']:.1f} ms)")
    out.append(f"   target p99 < 100 ms: {'met' if approve['p99_ms'] < 100 else 'NOT met'}")
    out.append("   stages (row timestamps):")
    for name, value in approve["stages"].items():
        out.append(f"     {name:<40} p50 {value['p50_ms']:6.1f} ms   p99 {value['p99_ms']:6.1f} ms")
    return "\n".join(out)


FLOOR = None


def main() -> None:
    global FLOOR
    started = time.monotonic()
    secrets = local_secrets()
    os.environ.update(secrets)  # the bench signs principals like the gateway does
    stack = Stack(db_prefix="crm_bench_", vhost="crm-bench", gateway_port=19000, health_base=19100,
                  log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600"})
    helper_env = {**os.environ, **secrets, "PSYCOPG_WAIT_FUNC": "wait_select", "PYTHONWARNINGS": "ignore"}
    helpers = []
    try:
        print("starting the suite (vhost crm-bench, databases crm_bench_*, gateway :19000) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        echo = start_helper([str(BENCH / "echo_responder.py"), stack.amqp_uri, ECHO_SERVICE], helper_env)
        helpers.append(echo)
        FLOOR = start_helper([str(BENCH / "floor_server.py"), str(FLOOR_PORT)], helper_env)
        helpers.append(FLOOR)
        rabbit = broker_pid()

        api = Api(f"http://127.0.0.1:{stack.gateway_port}/api/v1")
        token = api.login("admin", ADMIN_PASSWORD)
        customer = api.post("/customers", {"name": "Bench Co", "industry": "software", "phone": "0571-88886666"})
        product = api.post("/products", {"code": "BENCH-1", "name": "Bench widget", "list_price": "19.99"})

        from crm_common.principal import encode_context
        from crm_gateway.identity.tokens import principal_from_access_token
        context = {**encode_context(principal_from_access_token(token)), "correlation_id": "bench"}

        print(f"1/3 RPC hop ({RPC_CALLS} serial calls per target) …", flush=True)
        rpc = bench_rpc(stack, helper_env, context, product["id"], echo.pid, rabbit)
        print("2/3 HTTP GET customer (c=1, c=16) …", flush=True)
        http = bench_http(stack, token, customer["id"], rabbit)
        print(f"3/3 approve -> receivable ({ORDERS} orders) …", flush=True)
        approve = bench_approve(stack, api, customer["id"], product["id"])

        meta = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
                           f"Python {platform.python_version()}",
                "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                      text=True).stdout.strip(),
                "rpc_entrypoint": _rpc_entrypoint(), "duration_s": round(time.monotonic() - started)}
        text = report(meta, rpc, http, approve)
        print("\n" + text + f"\n\n(rpc entrypoint: {meta['rpc_entrypoint']}; whole bench {meta['duration_s']} s)")
        out = ROOT / ".local" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "last.json").write_text(json.dumps({"meta": meta, "rpc": rpc, "http": http, "approve": approve},
                                                  indent=2))
        (out / "last.txt").write_text(text + "\n")
        print(f"raw results: {out / 'last.json'}")
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                helper.kill()
        stack.stop_all()


def _rpc_entrypoint() -> str:
    """Which Rpc class `crm_common.service_base.rpc` registers (stock Nameko or fast_rpc)."""
    from crm_common import service_base

    def probe():
        pass
    service_base.rpc(probe)
    cls = type(next(iter(probe.nameko_entrypoints)))
    return f"{cls.__module__}.{cls.__name__}"


if __name__ == "__main__":
    main()
