"""How `make test` runs on two cores: two pytest-xdist workers, whole files each (--dist loadfile),
and each worker its own suite — its own CRM_TEST_SLOT, hence ports, databases and vhost."""
import os

import psycopg

# Worker gwN runs at the slot the caller chose plus N × this: far from the slots people give
# side-by-side checkouts (1–19) and from what a bench hard-codes.
WORKER_SLOT_STRIDE = 30
# Each worker's suite keeps about 30 connections and its concurrency tests burst to 100 more;
# PostgreSQL's default max_connections (100) holds one such suite, not two.
CONNECTIONS_PER_WORKER = 150


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = int(os.environ.get("CRM_TEST_SLOT", "0") or 0)
        os.environ["CRM_TEST_SLOT"] = str(base + WORKER_SLOT_STRIDE * int(worker.removeprefix("gw")))


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker per core, as many as PostgreSQL has connections for."""
    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=5) as conn:
            allowed = int(conn.execute("SHOW max_connections").fetchone()[0])
    except psycopg.Error:
        return 1  # the suite's own fixtures say what is wrong with the database
    workers = max(1, min(os.cpu_count() or 1, allowed // CONNECTIONS_PER_WORKER))
    if workers == 1 and allowed < 2 * CONNECTIONS_PER_WORKER:
        print(f"tests run in one worker: PostgreSQL allows {allowed} connections, two workers need "
              f"{2 * CONNECTIONS_PER_WORKER} (ALTER SYSTEM SET max_connections = 300, then restart it)")
    return workers


# The files that take longest, started first: a worker that picks one up near the end would leave
# the other idle while it runs (longest-first keeps the two workers' shares even).
SLOW_FIRST = ("tests/e2e/test_openapi.py", "tests/e2e/test_authorization_matrix.py", "tests/e2e/test_branches.py",
              "tests/e2e/test_console_back_office.py", "tests/e2e/test_console_customers.py",
              "tests/e2e/test_console_day.py", "tests/e2e/test_security_probes.py", "tests/e2e/test_replicas.py",
              "tests/e2e/test_launcher.py", "tests/e2e/test_client_reliability.py")


def pytest_collection_modifyitems(config, items):
    rank = {path: index for index, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(SLOW_FIRST)))
