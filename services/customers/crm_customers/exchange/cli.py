"""`python -m crm_customers import FILE.csv --gateway-url URL --username U` (CUS-12).

Uploads the file through the public API in chunks (each a small CSV with the header), starts
the job and follows its progress, with a progress bar for both phases.
"""
import argparse
import getpass
import io
import os
import sys
import time

import requests
from tqdm import tqdm

CHUNK_ROWS = 5000


def chunks(path: str, rows_per_chunk: int = CHUNK_ROWS):
    """Yield (first data row number, CSV text with header) — quoted newlines kept intact."""
    import csv
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        batch, first = [], 1
        for number, row in enumerate(reader, start=1):
            batch.append(row)
            if len(batch) == rows_per_chunk:
                yield first, _csv([header, *batch])
                batch, first = [], number + 1
        if batch:
            yield first, _csv([header, *batch])


def _csv(rows) -> str:
    import csv
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _check(response):
    if response.status_code >= 400:
        sys.exit(f"{response.status_code}: {response.text[:500]}")
    return response.json()


def run_import(api: str, token: str, path: str, *, dry_run=False, all_or_nothing=False, quiet=False) -> dict:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    job = _check(http.post(f"{api}/customer-imports", json={"dry_run": dry_run, "all_or_nothing": all_or_nothing}))
    with open(path, encoding="utf-8-sig") as handle:
        total_lines = max(0, sum(1 for _ in handle) - 1)
    with tqdm(total=total_lines, unit="row", desc="upload", disable=quiet) as bar:
        for first, body in chunks(path):
            job = _check(http.post(f"{api}/customer-imports/{job['id']}/chunks", json={"first_row": first, "csv": body}))
            bar.update(job["total"] - bar.n)
    job = _check(http.post(f"{api}/customer-imports/{job['id']}/start"))
    with tqdm(total=job["total"], unit="row", desc="import", disable=quiet) as bar:
        while job["status"] in ("queued", "running"):
            time.sleep(0.5)
            job = _check(http.get(f"{api}/customer-imports/{job['id']}"))
            bar.update(job["processed"] - bar.n)
    return job


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crm_customers import")
    parser.add_argument("file")
    parser.add_argument("--gateway-url", default=os.environ.get("CRM_GATEWAY_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--username", default=os.environ.get("CRM_USERNAME", "admin"))
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--all-or-nothing", action="store_true")
    args = parser.parse_args(argv)
    api = args.gateway_url.rstrip("/") + "/api/v1"
    password = os.environ.get("CRM_PASSWORD") or getpass.getpass(f"password for {args.username}: ")
    token = _check(requests.post(f"{api}/auth/login", json={"username": args.username, "password": password},
                                 timeout=30))["access_token"]
    job = run_import(api, token, args.file, dry_run=args.dry_run, all_or_nothing=args.all_or_nothing)
    print(f"{job['status']}: {job['created']} created, {job['updated']} updated, {job['error_count']} row errors")
    for error in job["errors"][:50]:
        print(f"  row {error['row']}: {error['errors']}")
    sys.exit(0 if job["status"] == "done" and not job["error_count"] else 1)
