"""`make bench`: start a private copy of the suite, measure, print a table, stop everything.

Three figures, each against a floor measured in the same run on the same machine:
1. one RPC hop (serial, the gateway's RpcClient) vs a raw py-amqp echo responder on the same broker;
2. gateway GET /api/v1/customers/{id} vs the same HTTP stack answering a constant;
3. approve -> receivable visible through the API, one order at a time.
1 and 2 run in interleaved rounds (floor, then the suite, twice) so a burst of other work on the
machine hits both sides; every row also shows `other`: busy CPU of the machine that none of the
measured processes used (a large value means a noisy run). Raw results: .local/bench/last.json.
Method, figures and limits: docs/benchmarks.md.

Knobs (environment): BENCH_RPC_CALLS (2000 per block), BENCH_HTTP_SECONDS (5 per cell),
BENCH_ROUNDS (2), BENCH_ORDERS (120).
"""
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import requests

from measure import CpuMeter, Pool, percentile, pids_named, run_json, start_helper

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
HTTP_SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "5"))
HTTP_WARMUP = 1.0
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
ORDERS = int(os.environ.get("BENCH_ORDERS", "120"))
POLL_SECONDS = 0.002
warnings.filterwarnings("ignore", module="nameko")
warnings.filterwarnings("ignore", message=".*Eventlet is deprecated.*")


# ---------------------------------------------------------------- 1 and 2: RPC hop, HTTP GET

def rpc_block(stack, env, context, service, method, args, server_pid, pool: Pool, rabbit):
    meter = CpuMeter({"server": server_pid, "broker": rabbit}, postgres=True)
    data = run_json([str(BENCH / "rpc_hop.py"), stack.amqp_uri, service, method, json.dumps(args),
                     json.dumps(context), str(RPC_CALLS), str(RPC_WARMUP)], env=env, go_after_warm=meter.start)
    pool.add(data["latencies_ms"], data["wall_s"], {"client": data["client_cpu_s"], **meter.stop()})


def http_block(url, token, concurrency, pids: dict, pool: Pool):
    meter = CpuMeter(pids, postgres="gateway" in pids)
    meter.start()
    data = run_json([str(BENCH / "loadgen.py"), url, str(concurrency), str(HTTP_SECONDS), str(HTTP_WARMUP),
                     f"Authorization:Bearer {token}"])
    cpu = meter.stop()
    if data["error_count"]:
        raise RuntimeError(f"{url}: {data['error_count']} non-200 answers, e.g. {data['errors']}")
    # the meter also saw the warm-up second: scale it to the measured part
    share = data["wall_s"] / (data["wall_s"] + HTTP_WARMUP)
    pool.add(data["latencies_ms"], data["wall_s"],
             {"client": data["client_cpu_s"], **{k: v * share for k, v in cpu.items()}})


def bench_rpc_and_http(stack, env, context, product_id, customer_id, token, echo_pid, floor_pid, rabbit):
    pools: dict[str, Pool] = {}

    def pool(key):
        return pools.setdefault(key, Pool())

    gateway_url = f"http://127.0.0.1:{stack.gateway_port}/api/v1/customers/{customer_id}"
    floor_url = f"http://127.0.0.1:{FLOOR_PORT}/api/v1/customers/{customer_id}"
    sales = stack.processes["sales"].pid
    suite = {"gateway": stack.processes["gateway"].pid, "customers": stack.processes["customers"].pid,
             "broker": rabbit}
    for round_no in range(1, ROUNDS + 1):
        print(f"   round {round_no}/{ROUNDS}", flush=True)
        rpc_block(stack, env, context, ECHO_SERVICE, "ping", [], echo_pid, pool("rpc floor"), rabbit)
        rpc_block(stack, env, context, "sales", "ping", [], sales, pool("rpc ping"), rabbit)
        rpc_block(stack, env, context, "sales", "list_dead_letters", [], sales, pool("rpc list_dead_letters"), rabbit)
        rpc_block(stack, env, context, "sales", "get_product", [product_id], sales, pool("rpc get_product"), rabbit)
        for concurrency in (1, 16):
            http_block(floor_url, token, concurrency, {"server": floor_pid}, pool(f"http floor c{concurrency}"))
            http_block(gateway_url, token, concurrency, suite, pool(f"http gateway c{concurrency}"))
    return {key: p.summary() for key, p in pools.items()}


# ---------------------------------------------------------------- 3: approve -> receivable

def bench_approve(stack: Stack, rep: "Api", api: "Api", customer_id: str, product_id: str):
    """The rep sells and watches for the receivable; the admin approves (nobody approves their own)."""
    latencies, approve_ms, polls, stamps = [], [], [], {}
    for _ in range(ORDERS):
        order = rep.post("/orders", {"customer_id": customer_id,
                                     "lines": [{"product_id": product_id, "quantity": "1"}]})
        rep.post(f"/orders/{order['id']}/submit", {})
        t_req = time.perf_counter()
        api.post(f"/orders/{order['id']}/approve", {})
        t0, wall0 = time.perf_counter(), time.time()
        count = 0
        while True:
            count += 1
            if rep.get(f"/receivables?order_id={order['id']}")["items"]:
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
        for name, value in zip(stages, (responded - a, f - a, r - f, seen - r), strict=True):
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

def _cpu(row) -> str:
    """Per-process CPU, then `other`: busy CPU of the machine not accounted for by the listed
    processes (other work on the box; a large value means a noisy run)."""
    cpu = row["cpu_ms_each"]
    listed = {k: v for k, v in cpu.items() if k not in ("machine", "steal")}
    parts = [f"{k} {v:.2f}" for k, v in listed.items()]
    parts.append(f"other {max(0.0, cpu['machine'] - sum(listed.values())):.2f}")
    if cpu.get("steal", 0) >= 0.005:
        parts.append(f"steal {cpu['steal']:.2f}")
    return "  ".join(parts)


def report(meta, results, approve) -> str:
    out = [f"# CRM bench, {meta['date']}: {meta['machine']}, git {meta['git']}, RPC entrypoint "
           f"{meta['rpc_entrypoint']}", ""]
    noise = meta["other_cpu_share"]
    if noise > 0.15:
        out += [f"!! NOISY RUN: {100 * noise:.0f} % of the machine's busy CPU during 1 and 2 was other work "
                "(see `other`); compare ratios, not absolute figures, or rerun on a quiet machine", ""]
    floor = results["rpc floor"]
    out.append(f"1. One RPC hop, serial, {floor['n']} calls per row in {ROUNDS} interleaved blocks "
               "(gateway RpcClient); CPU ms per call")
    out.append(f"   {'target':<34}{'p50 ms':>7}{'p99 ms':>8}{'x p50':>7}{'x p99':>7}   cpu ms/call")
    rows = [("raw AMQP echo responder (floor)", floor),
            ("sales.ping (the hop alone)", results["rpc ping"]),
            ("sales.list_dead_letters (+1 query)", results["rpc list_dead_letters"]),
            ("sales.get_product", results["rpc get_product"])]
    for name, row in rows:
        out.append(f"   {name:<34}{row['p50_ms']:>7.2f}{row['p99_ms']:>8.2f}{row['p50_ms'] / floor['p50_ms']:>7.2f}"
                   f"{row['p99_ms'] / floor['p99_ms']:>7.2f}   {_cpu(row)}")
    hop = results["rpc ping"]["p50_ms"] / floor["p50_ms"]
    out.append(f"   target: the hop <= 3x raw AMQP (p50): {'met' if hop <= 3 else 'NOT met'} ({hop:.2f}x); "
               "the rows below it add the service's own database work")
    out.append("")
    out.append(f"2. HTTP GET /api/v1/customers/{{id}}, closed loop, {ROUNDS} x {HTTP_SECONDS:g} s per row "
               f"(after {HTTP_WARMUP:g} s warm-up each); CPU ms per request")
    out.append(f"   {'target':<42}{'conc':>5}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}   cpu ms/request")
    for concurrency in (1, 16):
        for name, key in (("floor: eventlet.wsgi+werkzeug, constant", "floor"), ("gateway", "gateway")):
            row = results[f"http {key} c{concurrency}"]
            out.append(f"   {name:<42}{concurrency:>5}{row['per_s']:>8.0f}{row['p50_ms']:>8.2f}{row['p99_ms']:>8.2f}"
                       f"   {_cpu(row)}")
    for concurrency in (1, 16):
        f, g = results[f"http floor c{concurrency}"], results[f"http gateway c{concurrency}"]
        out.append(f"   c={concurrency:<2} gateway / floor: req/s {g['per_s'] / f['per_s']:.3f}x, "
                   f"p50 {g['p50_ms'] / f['p50_ms']:.1f}x, p99 {g['p99_ms'] / f['p99_ms']:.1f}x")
    out.append("")
    out.append(f"3. Approve -> receivable visible via GET /receivables?order_id= ({approve['orders']} orders, "
               f"one at a time, polling every {POLL_SECONDS * 1000:g} ms)")
    out.append(f"   p50 {approve['p50_ms']:.1f} ms   p99 {approve['p99_ms']:.1f} ms   max {approve['max_ms']:.1f} ms   "
               f"(polls/order {approve['mean_polls']:.1f}; the approve request itself p50 "
               f"{approve['approve_http_p50_ms']:.1f} ms, p99 {approve['approve_http_p99_ms']:.1f} ms)")
    out.append(f"   target p99 < 100 ms: {'met' if approve['p99_ms'] < 100 else 'NOT met'}   "
               f"(machine busy {approve['machine_busy_cores']:.2f} of 2 cores, steal {approve['steal_cores']:.2f})")
    out.append("   stages (row timestamps):")
    for name, value in approve["stages"].items():
        out.append(f"     {name:<40} p50 {value['p50_ms']:6.1f} ms   p99 {value['p99_ms']:6.1f} ms")
    return "\n".join(out)


def other_cpu_share(results: dict) -> float:
    """Share of the machine's busy CPU, over all rows, that no measured process used."""
    machine = other = 0.0
    for row in results.values():
        cpu = {k: v * row["n"] for k, v in row["cpu_ms_each"].items()}
        listed = sum(v for k, v in cpu.items() if k not in ("machine", "steal"))
        machine += cpu["machine"]
        other += max(0.0, cpu["machine"] - listed)
    return other / machine if machine else 0.0


def _rpc_entrypoint() -> str:
    """Which Rpc class `crm_common.service_base.rpc` registers (stock Nameko or fast_rpc)."""
    from crm_common import service_base

    def probe():
        pass
    service_base.rpc(probe)
    cls = type(next(iter(probe.nameko_entrypoints)))
    return f"{cls.__module__}.{cls.__name__}"


# ---------------------------------------------------------------- main

def ports_free(stack: Stack) -> None:
    """Refuse to start over another suite (a second bench, or tests run with CRM_TEST_SLOT=5,
    whose ports are these too): its gateway would answer our requests."""
    ports = [stack.gateway_port, FLOOR_PORT, *(stack.health_base + 1 + i for i in range(5))]
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(f"port {port} is in use (another `make bench`, or a test run with CRM_TEST_SLOT=5?); "
                         "stop it and try again")


def main() -> None:
    started = time.monotonic()
    secrets = local_secrets()
    os.environ.update(secrets)  # the bench signs principals like the gateway does
    stack = Stack(db_prefix="crm_bench_", vhost="crm-bench", gateway_port=19000, health_base=19100,
                  log_dir=ROOT / ".local" / "bench-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    helper_env = {**os.environ, **secrets, "PSYCOPG_WAIT_FUNC": "wait_select", "PYTHONWARNINGS": "ignore"}
    helpers = []
    try:
        ports_free(stack)
        print("starting the suite (vhost crm-bench, databases crm_bench_*, gateway :19000) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        echo = start_helper([str(BENCH / "echo_responder.py"), stack.amqp_uri, ECHO_SERVICE], helper_env)
        helpers.append(echo)
        floor = start_helper([str(BENCH / "floor_server.py"), str(FLOOR_PORT)], helper_env)
        helpers.append(floor)
        rabbit = next(iter(pids_named("beam.smp")), None)

        api = Api(f"http://127.0.0.1:{stack.gateway_port}/api/v1")
        token = api.login("admin", ADMIN_PASSWORD)
        customer = api.post("/customers", {"name": "Bench Co", "industry": "it", "phone": "0571-88886666"})
        product = api.post("/products", {"code": "BENCH-1", "name": "Bench widget", "list_price": "19.99"})

        from crm_common.principal import encode_context
        from crm_gateway.identity.tokens import decode_access_token
        context = {**encode_context(decode_access_token(token)[0]), "correlation_id": "bench"}

        print(f"1+2/3 RPC hop ({RPC_CALLS} serial calls per block) and HTTP GET customer (c=1, c=16), "
              f"{ROUNDS} rounds …", flush=True)
        results = bench_rpc_and_http(stack, helper_env, context, product["id"], customer["id"], token,
                                     echo.pid, floor.pid, rabbit)
        print(f"3/3 approve -> receivable ({ORDERS} orders) …", flush=True)
        meter, t_approve = CpuMeter({}), time.monotonic()
        meter.start()
        rep = Api(api.base)
        me = api.get("/me")
        role = api.post("/roles", {"name": "Bench rep", "data_scope": "own", "permissions": [
            "customers.read", "customers.write", "products.read", "orders.read", "orders.write",
            "receivables.read"]})
        api.post("/users", {"code": "bench_rep", "name": "Bench rep", "department_id": me["department"]["id"],
                            "password": "bench-rep-password", "role_ids": [role["id"]]})
        rep.login("bench_rep", "bench-rep-password")
        rep_customer = rep.post("/customers", {"name": "Bench Rep Co", "confirm_duplicate": True})
        approve = bench_approve(stack, rep, api, rep_customer["id"], product["id"])
        used, elapsed = meter.stop(), time.monotonic() - t_approve
        approve["machine_busy_cores"] = used["machine"] / elapsed
        approve["steal_cores"] = used["steal"] / elapsed

        meta = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
                "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                      text=True).stdout.strip(),
                "rpc_entrypoint": _rpc_entrypoint(), "other_cpu_share": other_cpu_share(results),
                "duration_s": round(time.monotonic() - started)}
        text = report(meta, results, approve)
        print("\n" + text + f"\n\n(whole bench {meta['duration_s']} s)")
        out = ROOT / ".local" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "last.json").write_text(json.dumps({"meta": meta, "results": results, "approve": approve}, indent=2))
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


if __name__ == "__main__":
    main()
