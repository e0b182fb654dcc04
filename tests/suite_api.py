"""Talking to a running suite as the tests do: over HTTP as a client (Api, login), waiting for
what crosses processes (eventually, at_once), and reading or seeding its databases directly.
tests/conftest.py builds its fixtures of these (`helpers` hands most of them out) and puts tests/
on sys.path, so a test module may import one too (--import-mode=importlib puts none there)."""
import threading
import time

import psycopg
import requests

from stack import COMPONENTS

ADMIN_PASSWORD = "admin-test-password"


class Api:
    def __init__(self, base: str, token: str | None = None):
        self.base, self.http = base, requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method, path, **kwargs):
        return self.http.request(method.upper(), f"{self.base}{path}", timeout=30, **kwargs)

    def __getattr__(self, method):
        return lambda path, **kwargs: self.request(method, path, **kwargs)


def login(stack, username, password) -> Api:
    base = f"http://127.0.0.1:{stack.gateway_port}/api/v1"
    response = requests.post(f"{base}/auth/login", json={"username": username, "password": password}, timeout=30)
    assert response.status_code == 200, response.text
    return Api(base, response.json()["access_token"])


def eventually(fetch, timeout=60.0, interval=0.05):
    """Poll until `fetch()` returns something truthy (events cross processes asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def at_once(*calls, timeout=120.0) -> list:
    """Run the calls in threads released together; their answers in the calls' order. A call that
    raises fails the test with its error instead of leaving the others waiting at the start line."""
    start, answers, errors = threading.Barrier(len(calls), timeout=timeout), [None] * len(calls), []

    def run(index, call):
        try:
            start.wait()
            answers[index] = call()
        except Exception as error:  # noqa: BLE001 - reported below, in the test's own thread
            errors.append(error)
            start.abort()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 60)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads), "a concurrent call did not come back"
    return answers


AUDIT_TABLES = {"gateway.operation_log"}  # records refused requests too: that is its job


def table_counts(stack) -> dict:
    """Row count of every business table of every database: 'nothing changed' in one value."""
    counts = {}
    for component in COMPONENTS:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}{component}") as conn:
            tables = [r[0] for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")]
            for table in tables:
                if f"{component}.{table}" not in AUDIT_TABLES:
                    counts[f"{component}.{table}"] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


def db_rows(stack, component: str, sql: str, params=()) -> list:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}{component}") as conn:
        return conn.execute(sql, params).fetchall()


def add_pick(stack, kind: str, code: str, label: str | None = None) -> str:
    """A data dictionary entry of the test's own (pick-list fields take only dictionary codes)."""
    response = login(stack, "admin", ADMIN_PASSWORD).put(f"/dictionaries/{kind}/{code}",
                                                         json={"label": label or code.upper()})
    assert response.status_code == 200, response.text
    return code


def add_group(stack, path: str) -> str:
    """The id of the customer group (客户群) at `path`, made level by level where missing (a second
    run against one suite finds the groups of the first)."""
    admin = login(stack, "admin", ADMIN_PASSWORD)
    known = {g["path"]: g["id"] for g in admin.get("/customer-groups").json()["items"]}
    parent = None
    names = path.split("/")
    for depth in range(1, len(names) + 1):
        here = "/".join(names[:depth])
        if here not in known:
            made = admin.post("/customer-groups", json={"name": names[depth - 1], "parent_id": parent})
            assert made.status_code == 201, made.text
            known[here] = made.json()["id"]
        parent = known[here]
    return parent
