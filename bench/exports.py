"""Exports at a million (issue 14): `.venv/bin/python bench/exports.py`.

Starts a private suite (databases crm_bench<slot>_*, vhost crm-bench<slot>; the slot is
CRM_TEST_SLOT, else BENCH_EXPORTS_SLOT, else 5), loads BENCH_CUSTOMERS
customers (default 1,000,000) by COPY as bench/customers.py does, then, as a director whose
scope (subtree) covers all of them:
  1. GET /customers/export (CSV, streamed): wall time, rows and bytes the client received;
  2. POST /exports (xlsx, a background job): time to done, polled progress, file size;
while a sampler reads the resident memory (VmRSS) of the gateway and of the customers service
every BENCH_RSS_SECONDS (0.5). "Memory flat" is read off the samples: RSS at 10 %, 50 % and
100 % of the rows, and the peak over the process's RSS before the export started.
"""
import os
import statistics
import sys
import threading
import time
import warnings
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import Stack, local_secrets  # noqa: E402

from customers import ADMIN_PASSWORD, CUSTOMERS, Api, load, make_org  # noqa: E402

warnings.filterwarnings("ignore")
# CRM_TEST_SLOT as every bench takes it (an engineer's slot + 10); 5 when run alone
SLOT = int(os.environ.get("CRM_TEST_SLOT") or os.environ.get("BENCH_EXPORTS_SLOT", "5"))
# "csv", "xlsx" or both: the xlsx job of a million rows takes a quarter of an hour under load
FORMATS = os.environ.get("BENCH_EXPORTS_FORMATS", "csv,xlsx").split(",")
RSS_SECONDS = float(os.environ.get("BENCH_RSS_SECONDS", "0.5"))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler:
    """RSS of the named processes with the rows done so far, every RSS_SECONDS, in a thread."""

    def __init__(self, pids: dict[str, int]):
        self.pids, self.rows_done = pids, 0
        self.before = {name: rss_mb(pid) for name, pid in pids.items()}
        self.samples: list[tuple[int, dict]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(RSS_SECONDS):
            self.samples.append((self.rows_done, {name: rss_mb(pid) for name, pid in self.pids.items()}))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def at(self, share: float, total: int) -> dict:
        """RSS of the first sample at or past `share` of the rows (the last one otherwise)."""
        for rows, rss in self.samples:
            if rows >= share * total:
                return rss
        return self.samples[-1][1] if self.samples else self.before

    def peak(self) -> dict:
        return {name: max([rss[name] for _, rss in self.samples] or [self.before[name]]) for name in self.pids}


def stream_csv(director: Api, sampler: Sampler) -> dict:
    started = time.monotonic()
    response = director.http.get(f"{director.base}/customers/export", stream=True, timeout=600)
    response.raise_for_status()
    size = lines = 0
    first_byte = None
    for chunk in response.iter_content(256 * 1024):
        if first_byte is None:
            first_byte = time.monotonic() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
        sampler.rows_done = lines - 1
    return {"seconds": time.monotonic() - started, "first_byte_s": first_byte, "rows": lines - 1, "bytes": size,
            "total_header": int(response.headers["X-Export-Total"])}


def xlsx_job(director: Api, sampler: Sampler, workdir: Path) -> dict:
    started = time.monotonic()
    job = director.call("POST", "/exports", json={"list": "customers", "format": "xlsx"})
    polls = []
    while job["status"] in ("queued", "running"):
        time.sleep(1)
        job = director.call("GET", f"/exports/{job['id']}")
        sampler.rows_done = job["processed"]
        polls.append(job["processed"])
    seconds = time.monotonic() - started
    if job["status"] != "done":
        raise RuntimeError(f"the export job ended {job['status']}: {job.get('error')}")
    path = workdir / "export.xlsx"
    with director.http.get(f"{director.base}/exports/{job['id']}/file", stream=True, timeout=600) as response:
        response.raise_for_status()
        with open(path, "wb") as out:
            for chunk in response.iter_content(1024 * 1024):
                out.write(chunk)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = sum(sheet.max_row - 1 for sheet in book.worksheets)  # the header of each sheet
    book.close()
    path.unlink()
    return {"seconds": seconds, "rows": rows, "bytes": job["size"], "processed": job["processed"],
            "progress_polls": len(polls), "distinct_progress": len(set(polls))}


def main() -> None:
    os.environ.update(local_secrets())
    gateway_port, health_base = 19000 + 200 * SLOT + 20, 19100 + 200 * SLOT + 20
    stack = Stack(db_prefix=f"crm_bench{SLOT}_", vhost=f"crm-bench{SLOT}", gateway_port=gateway_port,
                  health_base=health_base, log_dir=ROOT / ".local" / "bench-logs" / "exports",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_ACCESS_TOKEN_SECONDS": "3600",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000000",
                             "CRM_STORAGE_DIR": str(ROOT / ".local" / "bench-storage")})
    db_url = f"postgresql://postgres@127.0.0.1:5432/crm_bench{SLOT}_customers"
    workdir = ROOT / ".local" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        print(f"starting the suite (gateway :{gateway_port}) …", flush=True)
        stack.prepare(fresh=True)
        stack.start_all()
        base = f"http://127.0.0.1:{gateway_port}/api/v1"
        admin = Api(base, "admin", ADMIN_PASSWORD)
        org = make_org(admin)
        load(db_url, org["owners"], CUSTOMERS)
        director_role = next(r for r in admin.call("GET", "/roles")["items"] if r["name"] == "bench director")
        admin.call("PATCH", f"/roles/{director_role['id']}",
                   json={"permissions": sorted({*director_role["permissions"], "customers.export"})})
        director = Api(base, "director", "bench-password")
        pids = {name: stack.processes[name].pid for name in ("gateway", "customers")}
        results = {"load_before": os.getloadavg()}
        if "csv" in FORMATS:
            with Sampler(pids) as sampler:
                results["csv"] = stream_csv(director, sampler)
            results["csv_rss"] = sampler
        if "xlsx" in FORMATS:
            with Sampler(pids) as sampler:
                results["xlsx"] = xlsx_job(director, sampler, workdir)
            results["xlsx_rss"] = sampler
        results["load_after"] = os.getloadavg()
        report(results)
    finally:
        stack.stop_all()


def report(results) -> None:
    print(f"\n# exports bench: {CUSTOMERS:,} customers, {os.cpu_count()} cores, RSS every {RSS_SECONDS} s")
    print("load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f}, after: {:.1f} {:.1f} {:.1f}".format(
        *results["load_before"], *results["load_after"]))
    csv_, xlsx = results.get("csv"), results.get("xlsx")
    if csv_:
        print(f"CSV streamed: {csv_['rows']:,} rows (X-Export-Total {csv_['total_header']:,}), "
              f"{csv_['bytes'] / 1e6:.1f} MB in {csv_['seconds']:.1f} s "
              f"({csv_['rows'] / csv_['seconds']:,.0f} rows/s), first byte after {csv_['first_byte_s']:.2f} s")
    if xlsx:
        print(f"xlsx job: {xlsx['rows']:,} rows in the workbook ({xlsx['processed']:,} processed), "
              f"{xlsx['bytes'] / 1e6:.1f} MB, done after {xlsx['seconds']:.1f} s "
              f"({xlsx['rows'] / xlsx['seconds']:,.0f} rows/s); progress polled {xlsx['progress_polls']} times, "
              f"{xlsx['distinct_progress']} distinct values")
    for label, key, done in (("CSV streamed", "csv_rss", csv_), ("xlsx job", "xlsx_rss", xlsx)):
        if not done:
            continue
        sampler, total = results[key], done["rows"]
        print(f"\nRSS MB, {label} ({len(sampler.samples)} samples)")
        print(f"{'process':<12}{'before':>9}{'at 10%':>9}{'at 50%':>9}{'at 100%':>9}{'peak':>9}{'median':>9}")
        peak = sampler.peak()
        for name in sampler.pids:
            series = [rss[name] for _, rss in sampler.samples] or [sampler.before[name]]
            print(f"{name:<12}{sampler.before[name]:>9.1f}{sampler.at(0.1, total)[name]:>9.1f}"
                  f"{sampler.at(0.5, total)[name]:>9.1f}{sampler.at(1.0, total)[name]:>9.1f}{peak[name]:>9.1f}"
                  f"{statistics.median(series):>9.1f}")


if __name__ == "__main__":
    main()
