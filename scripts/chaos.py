"""`make chaos`: orders streamed through a private suite while its processes and database connections
are broken on purpose; figures into docs/reliability.md (issue 11).

Loopback only, bounded in time: a private vhost and databases (crm_chaos<slot>_*), the gateway on
18010 + 200 × CRM_TEST_SLOT. Every order is created, submitted and approved by a client that
retries each step with one Idempotency-Key until it gets a final answer, as a well-behaved client
would (503 after Retry-After, 409 "still being processed", a dropped connection). Meanwhile: sales
paused (SIGSTOP) past the gateway's RPC timeout, the gateway SIGKILLed and restarted, logistics,
finance and sales SIGKILLed and restarted, sales' database backends terminated. Then the event chain
must drain: one fulfilment and one receivable per approved order.
Knobs: CHAOS_ORDERS (default 300), CHAOS_RATE (orders per second, 5), CHAOS_BUDGET_SECONDS (420).
"""
import datetime
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests

from stack import ROOT, Stack

SLOT = int(os.environ.get("CRM_TEST_SLOT", "0"))
ORDERS = int(os.environ.get("CHAOS_ORDERS", "300"))
RATE = float(os.environ.get("CHAOS_RATE", "5"))
BUDGET = float(os.environ.get("CHAOS_BUDGET_SECONDS", "420"))
RPC_TIMEOUT = 5
ADMIN_PASSWORD = "chaos-admin-password"
REPORT = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- chaos:begin -->", "<!-- chaos:end -->"


class Client:
    """One logical order's steps, each retried with its own key until a final answer."""

    def __init__(self, base: str, rep_token: str, approver_token: str, deadline: float):
        self.base, self.deadline = base, deadline
        self.rep, self.approver = _session(rep_token), _session(approver_token)
        self.statuses: Counter = Counter()
        self.unavailable_without_retry_after = 0
        self.lock = threading.Lock()
        self.step_seconds: list[float] = []

    def step(self, http: requests.Session, path: str, body: dict, key: str):
        started = time.monotonic()
        while time.monotonic() < self.deadline:
            try:
                answer = http.post(f"{self.base}{path}", json=body, timeout=30,
                                        headers={"Idempotency-Key": key})
                status = answer.status_code
            except requests.ConnectionError:
                answer, status = None, "connection error"
            with self.lock:
                self.statuses[status] += 1
                if status == 503 and "Retry-After" not in answer.headers:
                    self.unavailable_without_retry_after += 1
            if answer is not None and status < 500 and status != 409:
                self.step_seconds.append(time.monotonic() - started)
                return answer
            wait = float(answer.headers.get("Retry-After", "0.5")) if answer is not None else 0.5
            time.sleep(min(wait, 1.0))
        return None

    def order(self, n: int, run: str, customer_id: str, product_id: str) -> str | None:
        body = {"customer_id": customer_id, "notes": f"chaos {run} {n}",
                "lines": [{"product_id": product_id, "quantity": "1"}]}
        created = self.step(self.rep, "/orders", body, f"{run}-{n}-create")
        if created is None or created.status_code != 201:
            return None
        order_id = created.json()["id"]
        # the default approval flow forbids approving one's own order: the administrator approves
        for http, action in ((self.rep, "submit"), (self.approver, "approve")):
            done = self.step(http, f"/orders/{order_id}/{action}", {}, f"{run}-{n}-{action}")
            if done is None or done.status_code != 200:
                return None
        return order_id


def _session(token: str) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def _login(base: str, username: str, password: str) -> str:
    answer = requests.post(f"{base}/auth/login", json={"username": username, "password": password}, timeout=30)
    answer.raise_for_status()
    return answer.json()["access_token"]


def _terminate_backends(stack: Stack, times: int) -> int:
    killed = 0
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        for _ in range(times):
            killed += len(conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE datname = %s AND pid <> pg_backend_pid()",
                                       (f"{stack.db_prefix}sales",)).fetchall())
            time.sleep(0.3)
    return killed


def faults(stack: Stack, log: list, load_seconds: float) -> None:
    """The schedule, spread over the load; each line of `log` says what was done when."""
    started = time.monotonic()

    def restart(component):
        stack.kill(component)
        stack.start(component)
        stack.wait_ready(component)
        return f"{component} ready again"

    def pause(sig):
        stack.processes["sales"].send_signal(sig)

    schedule = [
        (0.13, f"SIGSTOP sales for {RPC_TIMEOUT + 3} s (past the gateway's {RPC_TIMEOUT} s RPC timeout)",
         lambda: pause(signal.SIGSTOP)),
        (None, "SIGCONT sales", lambda: time.sleep(RPC_TIMEOUT + 3) or pause(signal.SIGCONT)),
        (0.37, "SIGKILL gateway, restart", lambda: restart("gateway")),
        (0.52, "SIGKILL logistics, restart", lambda: restart("logistics")),
        (0.62, "pg_terminate_backend on every sales connection, 5 times 0.3 s apart",
         lambda: f"{_terminate_backends(stack, 5)} backends terminated"),
        (0.72, "SIGKILL finance, restart", lambda: restart("finance")),
        (0.92, "SIGKILL sales, restart", lambda: restart("sales")),
    ]
    for share, what, action in schedule:
        if share is not None:
            time.sleep(max(0.0, share * load_seconds - (time.monotonic() - started)))
        note = action()
        log.append(f"{time.monotonic() - started:5.1f} s  {what}" + (f" → {note}" if note else ""))


def _rows(stack: Stack, component: str, sql: str, params=()):
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}{component}") as conn:
        return conn.execute(sql, params).fetchall()


def drained(stack: Stack, order_ids: set) -> tuple[int, int, int, int]:
    """(fulfilments, orders with several, receivables, orders with several) of these orders"""
    ids = list(order_ids)
    fulfil = _rows(stack, "logistics", "SELECT order_id::text, count(*) FROM fulfilments "
                                       "WHERE order_id = ANY(%s::uuid[]) GROUP BY order_id", (ids,))
    receiv = _rows(stack, "finance", "SELECT order_id::text, count(*) FROM receivables "
                                     "WHERE order_id = ANY(%s::uuid[]) GROUP BY order_id", (ids,))
    return (len(fulfil), sum(1 for _, c in fulfil if c > 1), len(receiv), sum(1 for _, c in receiv if c > 1))


def main() -> None:
    stack = Stack(db_prefix=f"crm_chaos{SLOT}_", vhost=f"crm-chaos{SLOT}", gateway_port=18010 + 200 * SLOT,
                  health_base=18020 + 200 * SLOT, log_dir=ROOT / ".local" / "chaos-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_RPC_TIMEOUT_SECONDS": str(RPC_TIMEOUT),
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000", "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RETRY_BASE_SECONDS": "0.2"})
    begun = time.monotonic()
    print(f"starting a private suite (vhost {stack.vhost}, gateway :{stack.gateway_port}) …", flush=True)
    stack.prepare(fresh=True)
    try:
        stack.start_all()
        figures = run(stack)
    finally:
        stack.stop_all()
    figures["wall"] = time.monotonic() - begun
    text = report(figures)
    print(text)
    write_report(text)


def run(stack: Stack) -> dict:
    base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
    admin_token = _login(base, "admin", ADMIN_PASSWORD)
    admin = _session(admin_token)
    me = admin.get(f"{base}/me", timeout=30).json()
    role = admin.post(f"{base}/roles", timeout=30, json={"name": "Chaos rep", "data_scope": "own", "permissions": [
        "customers.read", "customers.write", "products.read", "orders.read", "orders.write"]}).json()
    admin.post(f"{base}/users", timeout=30, json={"code": "chaos_rep", "name": "Chaos rep", "role_ids": [role["id"]],
                                                  "department_id": me["department"]["id"],
                                                  "password": "chaos-rep-password"}).raise_for_status()
    rep_token = _login(base, "chaos_rep", "chaos-rep-password")
    customer = _session(rep_token).post(f"{base}/customers", json={"name": "混沌测试有限公司"}, timeout=30).json()
    product = admin.post(f"{base}/products", json={"code": "CHAOS-1", "name": "Chaos widget",
                                                   "list_price": "9.90", "unit": "pcs"}, timeout=30).json()
    run_id = uuid.uuid4().hex[:8]
    load_started = time.monotonic()
    client = Client(base, rep_token, admin_token, deadline=load_started + BUDGET)
    log = []
    fault_thread = threading.Thread(target=faults, args=(stack, log, ORDERS / RATE))
    print(f"{ORDERS} orders at {RATE}/s, with faults …", flush=True)
    with ThreadPoolExecutor(max_workers=32) as pool:
        fault_thread.start()
        futures = []
        for n in range(ORDERS):
            time.sleep(max(0.0, load_started + n / RATE - time.monotonic()))
            futures.append(pool.submit(client.order, n, run_id, customer["id"], product["id"]))
        approved = {f.result() for f in futures} - {None}
    fault_thread.join()
    load_seconds = time.monotonic() - load_started
    drain_started = time.monotonic()
    while time.monotonic() - drain_started < 120:
        counts = drained(stack, approved)
        if counts[0] == counts[2] == len(approved):
            break
        time.sleep(0.5)
    drain = time.monotonic() - drain_started
    counts = drained(stack, approved)
    rows = _rows(stack, "sales", "SELECT notes, count(*) FROM orders WHERE notes LIKE %s GROUP BY notes",
                 (f"chaos {run_id} %",))
    steps = sorted(client.step_seconds)
    return {
        "orders": ORDERS, "rate": RATE, "approved": len(approved), "created": sum(c for _, c in rows),
        "logical_created": len(rows), "duplicates": sum(c - 1 for _, c in rows if c > 1),
        "statuses": client.statuses, "no_retry_after": client.unavailable_without_retry_after, "fulfilments": counts[0], "fulfilment_doubles": counts[1],
        "receivables": counts[2], "receivable_doubles": counts[3], "drain": drain, "load": load_seconds,
        "step_max": steps[-1] if steps else 0.0, "step_p99": steps[int(len(steps) * 0.99) - 1] if steps else 0.0,
        "log": log,
    }


def report(f: dict) -> str:
    statuses = f["statuses"]
    five = sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500)
    listing = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    lines = [
        f"Run of {datetime.datetime.now().astimezone().isoformat(timespec='seconds')} on {os.cpu_count()} cores, "
        f"commit {git.strip()}; load {f['load']:.0f} s, whole run {f['wall']:.0f} s.",
        "",
        "| figure | value |", "| --- | --- |",
        f"| orders sent (create → submit → approve, one key per step) | {f['orders']} at {f['rate']:g}/s |",
        f"| orders created / approved | {f['created']} / {f['approved']} |",
        f"| logical orders that never got created | {f['orders'] - f['logical_created']} |",
        f"| duplicate orders (a second row for one key) | {f['duplicates']} |",
        f"| answers with status 500 | {statuses.get(500, 0)} |",
        f"| answers ≥ 500, retried with the same key / of them 503 without Retry-After | {five} / "
        f"{f['no_retry_after']} |",
        f"| all answers and errors the clients saw | {listing} |",
        f"| fulfilments / doubled | {f['fulfilments']} / {f['fulfilment_doubles']} |",
        f"| receivables / doubled | {f['receivables']} / {f['receivable_doubles']} |",
        f"| drain time after the last approval (every fulfilment and receivable there) | {f['drain']:.1f} s |",
        f"| longest time a step took to its final answer (p99) | {f['step_max']:.1f} s ({f['step_p99']:.1f} s) |",
        "", "Faults, from the first order:", "", "```", *f["log"], "```",
    ]
    return "\n".join(lines)


def write_report(text: str) -> None:
    current = REPORT.read_text() if REPORT.exists() else f"# Reliability report\n\n{BEGIN}\n{END}\n"
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")
    print(f"\nwritten to {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
