"""The customers process's CPU per read RPC, two checkouts alternated on one database (issue 15).

usage: .venv/bin/python bench/reply_ab.py DIR_A DIR_B   (each a checkout of the repository, e.g. from
`git archive`; its common/ and services/customers/ come first on the service's PYTHONPATH)

The HTTP benches measure every process of the suite; on a machine shared with other work their
CPU per request moves by ±30 % between runs. This one measures one thing: a customers process
started from A, then B, A, B (BENCH_AB_ROUNDS), each answering the same RPCs sent straight to its
queue by a raw AMQP client at BENCH_AB_CONCURRENCY in flight for BENCH_AB_SECONDS: GET one
customer (get_customer) and a page of 50 "my customers" (list_customers, a rep with scope own).
A checkout without crm_common/wire.py is called in kombu json, one with it in crm-json (as the
gateway of that checkout would). Printed: the process's CPU ms per answer (utime + stime from
/proc) for each and the ratio B / A, with the load average.
Databases crm_ab<slot>_customers, vhost crm-ab<slot> (CRM_TEST_SLOT, default 7).
"""
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import amqp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))
from reads import load, start_customers  # noqa: E402
from stack import Stack, local_secrets  # noqa: E402

SLOT = int(os.environ.get("CRM_TEST_SLOT", "7"))
ROUNDS = int(os.environ.get("BENCH_AB_ROUNDS", "2"))
SECONDS = float(os.environ.get("BENCH_AB_SECONDS", "15"))
CONCURRENCY = int(os.environ.get("BENCH_AB_CONCURRENCY", "8"))
CUSTOMERS = int(os.environ.get("BENCH_AB_CUSTOMERS", "20000"))
REPS = 20


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(stack: Stack, checkout: Path) -> subprocess.Popen:
    env = {**stack.env("customers"),
           "PYTHONPATH": f"{checkout / 'common'}:{checkout / 'services' / 'customers'}"}
    return start_customers(stack, env, stack.health_port("customers"), "customers-ab.log")


class Caller:
    """Closed loop: CONCURRENCY requests in flight, a new one sent for every answer."""

    def __init__(self, uri_vhost: str, crm_json: bool, headers: dict):
        self.connection = amqp.Connection(host="127.0.0.1:5672", virtual_host=uri_vhost)
        self.connection.connect()
        self.channel = self.connection.channel()
        self.reply_queue = f"rpc.reply-ab-{uuid.uuid4()}"
        self.channel.queue_declare(self.reply_queue, exclusive=True, auto_delete=True)
        self.channel.queue_bind(self.reply_queue, "nameko-rpc", routing_key=self.reply_queue)
        self.channel.basic_consume(self.reply_queue, no_ack=True, callback=self._answer)
        self.crm_json, self.headers = crm_json, headers
        self.answers = self.sent = self.errors = 0
        self.sending = False

    def _answer(self, message):
        if json.loads(message.body)["error"] is not None:
            self.errors += 1
        self.answers += 1
        if self.sending:
            self._send()

    def _send(self):
        body = json.dumps({"args": self.args, "kwargs": {}}, ensure_ascii=not self.crm_json).encode()
        content_type = "application/x-crm-json" if self.crm_json else "application/json"
        headers = {**self.headers, "nameko.deadline": f"{time.time() + 30:.3f}"}
        self.channel.basic_publish(amqp.Message(body, content_type=content_type, content_encoding="utf-8",
                                                reply_to=self.reply_queue, correlation_id=uuid.uuid4().hex,
                                                application_headers=headers),
                                   exchange="nameko-rpc", routing_key=f"customers.{self.method}")
        self.sent += 1

    def run(self, method: str, args: list, seconds: float) -> int:
        """Answers to what was sent in `seconds` (the ones in flight then are waited for)."""
        self.method, self.args, self.sending = method, args, True
        start = self.answers
        for _ in range(CONCURRENCY):
            self._send()
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            try:
                self.connection.drain_events(timeout=1)
            except TimeoutError:
                pass
        self.sending = False
        while self.answers < self.sent:
            self.connection.drain_events(timeout=30)
        return self.answers - start


def main(a: Path, b: Path) -> None:
    os.environ.update(local_secrets())
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    from crm_common.principal import Principal, encode_context
    health = 19160 + 200 * SLOT + 50
    stack = Stack(db_prefix=f"crm_ab{SLOT}_", vhost=f"crm-ab{SLOT}", gateway_port=health - 1, health_base=health,
                  log_dir=ROOT / ".local" / "bench-logs", components=("customers",))
    stack.prepare(fresh=True)
    reps = [{"id": str(uuid.uuid4()), "path": "/d/"} for _ in range(REPS)]
    db_url = f"postgresql://postgres@127.0.0.1:5432/crm_ab{SLOT}_customers"
    print(f"loading {CUSTOMERS:,} customers …", flush=True)
    load(db_url, reps, 0, CUSTOMERS, reps[0]["id"])
    import psycopg
    with psycopg.connect(db_url) as conn:
        detail_id = str(conn.execute("SELECT id FROM customers WHERE owner_id = %s LIMIT 1", (reps[0]["id"],)).fetchone()[0])
    rep = Principal(user_id=reps[0]["id"], department_path="/d/", branch="HQ", scope="own",
                    permissions=frozenset({"customers.read"}), username="rep00")
    headers = {f"nameko.{k}": v for k, v in encode_context(rep).items()}
    calls = [("GET one customer", "get_customer", [detail_id]),
             ("my customers, 50 by name", "list_customers", [{"limit": 50, "sort": "name"}])]
    results: dict = {}
    try:
        for round_no in range(ROUNDS):
            for label, checkout in (("A", a), ("B", b)):
                process = start(stack, checkout)
                caller = Caller(f"crm-ab{SLOT}", (checkout / "common" / "crm_common" / "wire.py").exists(), headers)
                for name, method, args in calls:
                    caller.run(method, args, 2)  # warm-up: caches, prepared statements, the pool
                    before = cpu_seconds(process.pid)
                    n = caller.run(method, args, SECONDS)
                    used = cpu_seconds(process.pid) - before
                    if caller.errors:
                        raise RuntimeError(f"{caller.errors} error answers from {checkout} to {method}")
                    results.setdefault((name, label), []).append((used, n))
                    print(f"  round {round_no + 1} {label} {name}: {n / SECONDS:.0f} answers/s, "
                          f"{1000 * used / n:.2f} ms CPU each, load {os.getloadavg()[0]:.1f}", flush=True)
                caller.connection.close()
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
    finally:
        stack.stop_all()
    print(f"\ncustomers process, CPU ms per answer ({ROUNDS} x {SECONDS:g} s each, c={CONCURRENCY}): A {a}  B {b}")
    for name, _, _ in calls:
        each = {label: 1000 * sum(u for u, _ in results[(name, label)]) / sum(n for _, n in results[(name, label)])
                for label in ("A", "B")}
        print(f"  {name:<28} A {each['A']:.2f}  B {each['B']:.2f}  B/A {each['B'] / each['A']:.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve())
