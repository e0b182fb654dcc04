"""Finance at scale (issue 5): 100,000 orders with receivables loaded straight into the finance
database (COPY), then through the gateway:
1. the ageing report (FIN-04) and a customer statement (FIN-08), each against a single-record
   GET of a receivable measured in the same run (the floor of one HTTP + RPC + query round trip);
2. invoice numbering under 16 concurrent issuers vs one issuer, then a gap check of the numbers.
The target is under 300 ms for the report and the statement. Private stack: slot 3 ports.

Knobs (environment): BENCH_RECEIVABLES (100000), BENCH_REPEAT (30), BENCH_INVOICE_SECONDS (8).
"""
import datetime
import io
import json
import os
import random
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path

import psycopg
from crm_common import branch_time
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack  # noqa: E402

SLOT = 3
ADMIN_PASSWORD = "admin-bench-password"
RECEIVABLES = int(os.environ.get("BENCH_RECEIVABLES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
INVOICE_SECONDS = float(os.environ.get("BENCH_INVOICE_SECONDS", "8"))
CUSTOMERS = 2000
BIG_CUSTOMER_ROWS = 500
ISSUERS = 16
warnings.filterwarnings("ignore")


class Api:
    def __init__(self, base):
        self.base, self.http = base, requests.Session()

    def login(self, username, password):
        token = self.call("POST", "/auth/login", {"username": username, "password": password})["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        return token

    def call(self, method, path, body=None, params=None, expect=(200, 201)):
        response = self.http.request(method, self.base + path, json=body, params=params, timeout=60)
        if response.status_code not in expect:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()


def load(dsn: str, owner_id: str) -> dict:
    """COPY 100,000 receivables (2,000 customers + one big one), receipts for a third, invoices for
    a quarter; due dates from 200 days ago to 60 days ahead, so every ageing bucket is populated."""
    rng = random.Random(5)
    customers = [str(uuid.uuid4()) for _ in range(CUSTOMERS)]
    big = str(uuid.uuid4())
    today = branch_time.current_day()  # the branch's, as the services count days
    receivables, receipts, invoices = io.StringIO(), io.StringIO(), io.StringIO()
    sample = []
    for i in range(RECEIVABLES):
        rid, order_id = str(uuid.uuid4()), str(uuid.uuid4())
        customer = big if i < BIG_CUSTOMER_ROWS else customers[rng.randrange(CUSTOMERS)]
        cents = rng.randrange(1000, 10_000_000)
        amount = cents / 100
        paid = rng.random()
        received = 0 if paid < 0.5 else (cents // 2 if paid < 0.8 else cents)
        status = "open" if received == 0 else ("paid" if received == cents else "partially_paid")
        invoiced = cents if i % 4 == 0 else 0
        due = today + datetime.timedelta(days=rng.randrange(-200, 60))
        dept = "/hq/east/" if i % 2 else "/hq/west/"
        receivables.write(f"{rid}\t{order_id}\tSO-HQ-B-{i:06d}\t{uuid.uuid4()}\t{customer}\tCNY\t{amount:.2f}\t"
                          f"{received / 100:.2f}\t{invoiced / 100:.2f}\t{status}\t{due}\t{owner_id}\t{dept}\tHQ\n")
        if received:
            receipts.write(f"{uuid.uuid4()}\tRC-HQ-B-{i:06d}\t{rid}\t{order_id}\t{received / 100:.2f}\tCNY\t"
                           f"bank_transfer\t{due}\t{owner_id}\t{dept}\tHQ\n")
        if invoiced:
            invoices.write(f"{uuid.uuid4()}\tINV-HQ-B-{i:06d}\t{rid}\t{order_id}\t{customer}\tCNY\t{amount:.2f}\t"
                           f"0.1300\t0.00\t{amount:.2f}\t{due}\t{owner_id}\t{dept}\tHQ\n")
        if i >= BIG_CUSTOMER_ROWS and not invoiced and len(sample) < 200:  # room left to invoice
            sample.append((rid, order_id, amount))
    with psycopg.connect(dsn) as conn:
        for table, columns, data in (
            ("receivables", "id, order_id, order_number, fulfilment_id, customer_id, currency, amount, received, "
                            "invoiced, status, due_date, owner_id, department_path, branch", receivables),
            ("receipts", "id, number, receivable_id, order_id, amount, currency, method, received_on, owner_id, "
                         "department_path, branch", receipts),
            ("invoices", "id, number, receivable_id, order_id, customer_id, currency, amount, tax_rate, tax_amount, "
                         "net_amount, issued_on, owner_id, department_path, branch", invoices),
        ):
            with conn.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(data.getvalue())
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE receivables")
        conn.execute("VACUUM ANALYZE receipts")
        conn.execute("VACUUM ANALYZE invoices")
    typical = customers[0]
    return {"big": big, "typical": typical, "sample": sample}


def timed(fn, repeat=REPEAT) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "max_ms": round(times[-1], 1)}


def issue_invoices(base, sample, issuers, seconds) -> dict:
    """Each issuer invoices 0.01 again and again on its own receivables until time is up."""
    counts, errors, window = [0] * issuers, [], {}
    # the clock starts when every issuer has logged in
    barrier = threading.Barrier(issuers, action=lambda: window.update(start=time.monotonic(),
                                                                        stop=time.monotonic() + seconds))

    def issuer(index):
        api = Api(base)
        api.login("admin", ADMIN_PASSWORD)
        mine = sample[index::issuers]
        barrier.wait()
        while time.monotonic() < window["stop"]:
            rid, order_id, _ = mine[counts[index] % len(mine)]
            try:
                api.call("POST", "/invoices", {"order_id": order_id, "amount": "0.01", "tax_rate": "0.13"})
                counts[index] += 1
            except RuntimeError as exc:
                errors.append(str(exc))
                return

    threads = [threading.Thread(target=issuer, args=(i,)) for i in range(issuers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - window["start"]
    return {"issuers": issuers, "invoices": sum(counts), "per_s": round(sum(counts) / elapsed, 1),
            "errors": errors[:3]}


def gap_check(dsn) -> dict:
    with psycopg.connect(dsn) as conn:
        numbers = [int(n.rsplit("-", 1)[1]) for (n,) in conn.execute(
            "SELECT number FROM invoices WHERE number NOT LIKE 'INV-HQ-B-%'")]
    numbers.sort()
    return {"numbers": len(numbers), "gap_free": numbers == list(range(1, len(numbers) + 1))}


def main() -> None:
    stack = Stack(db_prefix=f"crm_bench{SLOT}_fin_", vhost=f"crm-bench{SLOT}-fin",
                  gateway_port=19000 + 200 * SLOT + 20, health_base=19100 + 200 * SLOT + 20,
                  log_dir=ROOT / ".local" / "bench-finance-logs",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000"})
    try:
        print(f"starting a private suite (gateway :{stack.gateway_port}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
        admin = Api(base)
        admin.login("admin", ADMIN_PASSWORD)
        me = admin.call("GET", "/me")
        dsn = f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}finance"
        print(f"loading {RECEIVABLES} receivables with COPY …", flush=True)
        started = time.monotonic()
        data = load(dsn, me["id"])
        load_s = round(time.monotonic() - started, 1)
        one = data["sample"][0][0]
        print("measuring …", flush=True)
        rows = {
            "baseline: GET one receivable": timed(lambda: admin.call("GET", f"/receivables/{one}")),
            f"ageing report, all {RECEIVABLES} (scope all)": timed(lambda: admin.call("GET", "/finance/ageing")),
            "statement, typical customer (~50 receivables)": timed(
                lambda: admin.call("GET", f"/finance/statements/{data['typical']}")),
            f"statement, big customer ({BIG_CUSTOMER_ROWS} receivables)": timed(
                lambda: admin.call("GET", f"/finance/statements/{data['big']}")),
        }
        for name, row in rows.items():
            print(f"  {name}: {row}", flush=True)
        serial = issue_invoices(base, data["sample"], 1, INVOICE_SECONDS)
        print(f"  1 issuer: {serial}", flush=True)
        concurrent = issue_invoices(base, data["sample"], ISSUERS, INVOICE_SECONDS)
        gaps = gap_check(dsn)
        floor = rows["baseline: GET one receivable"]["p50_ms"]
        lines = ["| measurement | p50 ms | p95 ms | max ms | p50 / baseline |", "| --- | --- | --- | --- | --- |"]
        for name, row in rows.items():
            lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | "
                         f"{row['p50_ms'] / floor:.1f}x |")
        lines += ["", "| invoice issuers | invoices | invoices/s | ratio to 1 issuer |", "| --- | --- | --- | --- |",
                  f"| 1 | {serial['invoices']} | {serial['per_s']} | 1.0x |",
                  f"| {ISSUERS} | {concurrent['invoices']} | {concurrent['per_s']} | "
                  f"{concurrent['per_s'] / max(serial['per_s'], 0.1):.1f}x |",
                  "", f"invoice numbers issued: {gaps['numbers']}, gap-free: {gaps['gap_free']}; "
                      f"errors: {serial['errors'] + concurrent['errors'] or 'none'}; load (COPY) {load_s} s"]
        text = "\n".join(lines)
        print("\n" + text)
        out = ROOT / ".local" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "finance.json").write_text(json.dumps({"rows": rows, "serial": serial, "concurrent": concurrent,
                                                      "gaps": gaps, "load_s": load_s}, indent=2))
        if not gaps["gap_free"] or concurrent["errors"] or not concurrent["invoices"]:
            sys.exit("invoice numbering broke under concurrency")
    finally:
        stack.stop_all()


if __name__ == "__main__":
    main()
