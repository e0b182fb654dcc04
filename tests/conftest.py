"""Shared fixtures: the running suite (real PostgreSQL and RabbitMQ) and an HTTP client."""
import json
import os
from contextlib import contextmanager
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from kombu import Connection, Exchange, Queue

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from stack import COMPONENTS, SERVICES, Stack  # noqa: E402

ADMIN_PASSWORD = "admin-test-password"


@pytest.fixture(scope="session")
def stack():
    """The whole suite in its own vhost and databases, on ports apart from `make run`."""
    # CRM_TEST_SLOT lets several checkouts on one machine run their suites side by side.
    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))
    suite = Stack(db_prefix=f"crm_test{slot or ''}_", vhost=f"crm-test{slot or ''}",
                  gateway_port=18000 + 200 * slot, health_base=18100 + 200 * slot,
                  log_dir=ROOT / ".local" / (f"test-logs-{slot}" if slot else "test-logs"),
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_RETRY_BASE_SECONDS": "0.2",
                             "CRM_RETRY_MAX_ATTEMPTS": "3", "CRM_LOGIN_MAX_FAILURES": "5",
                             "CRM_RPC_TIMEOUT_SECONDS": "30", "CRM_RATE_LIMIT_PER_MINUTE": "100000",
                             # the session's fixture tokens must outlive a slow run of the whole suite
                             "CRM_ACCESS_TOKEN_SECONDS": "7200",
                             # tests play clients at several addresses through a proxy on loopback
                             "CRM_TRUSTED_PROXIES": "127.0.0.1/32"},
                  # the services' clock, set by the `clock` fixture (crm_common/clock.py)
                  service_env={"CRM_TEST_CLOCK_FILE": str(clock_file(slot))})
    clock_file(slot).unlink(missing_ok=True)
    suite.prepare(fresh=True)
    suite.start_all()
    settle_the_pools_day(suite)
    yield suite
    suite.stop_all()


def settle_the_pools_day(suite):
    """The pool's timer asks every minute, and its first ask of a branch day writes that day's run
    (pool_runs, and whatever warnings or recycling are due): the day is run before any test, so a
    test's "nothing changed" never counts the timer's row. While the timer's own ask holds the job
    lock the call answers ran=false: asked again until the day's row is there."""
    api = login(suite, "admin", ADMIN_PASSWORD)
    assert eventually(lambda: api.post("/customer-pool/nightly-run", json={}).status_code == 200
                      and db_rows(suite, "customers", "SELECT day FROM pool_runs"), timeout=60, interval=0.5)


def clock_file(slot: int) -> Path:
    return ROOT / ".local" / f"test-clock-{slot}"


@pytest.fixture
def clock(stack):
    """Set what time it is for the session suite's services: `clock.set(aware_datetime)`; the
    real clock again after the test. The gateway keeps the real time (tokens)."""
    path = clock_file(int(os.environ.get("CRM_TEST_SLOT", "0")))

    class Clock:
        @staticmethod
        def set(instant):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(instant.isoformat(), encoding="utf-8")
    yield Clock()
    path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def two_branches():
    return start_two_branches


@contextmanager
def start_two_branches(tag: str, gateway_port: int, health_base: int, log_dir: Path, **shanghai_env):
    """Shanghai (with the gateway) and Beijing behind it: two vhosts, two sets of databases, ports
    of the caller's choosing (shifted by CRM_TEST_SLOT). Yields (shanghai, beijing)."""
    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))
    port, health = gateway_port + 200 * slot, health_base + 200 * slot
    bj = Stack(db_prefix=f"crm_{tag}{slot}_bj_", vhost=f"crm-{tag}{slot}-bj", branch="BJ", components=SERVICES,
               gateway_port=port, health_base=health, log_dir=log_dir / "bj")
    sh = Stack(db_prefix=f"crm_{tag}{slot}_sh_", vhost=f"crm-{tag}{slot}-sh", branch="SH", gateway_port=port,
               health_base=health + 10, log_dir=log_dir / "sh",
               extra_env={"CRM_FANOUT_TIMEOUT_SECONDS": "3", **shanghai_env})
    sh.extra_env["CRM_BRANCHES"] = f"SH={sh.amqp_uri};BJ={bj.amqp_uri}"
    bj.prepare(fresh=True)
    sh.prepare(fresh=True)
    try:
        bj.start_all()
        sh.start_all()
        yield sh, bj
    finally:
        sh.stop_all()
        bj.stop_all()


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


@pytest.fixture(scope="session")
def admin(stack) -> Api:
    return login(stack, "admin", ADMIN_PASSWORD)


@pytest.fixture(scope="session")
def anonymous(stack) -> Api:
    return Api(f"http://127.0.0.1:{stack.gateway_port}/api/v1")


REP_PERMISSIONS = ["customers.read", "customers.write", "products.read", "orders.read", "orders.write",
                   "fulfilments.read", "shipments.read", "shipments.write", "receivables.read",
                   "receipts.read", "receipts.write", "notifications.read", "announcements.read"]


@pytest.fixture(scope="session")
def org(admin):
    """Two sales departments, a rep in each, and a manager of the first."""
    me = admin.get("/me").json()
    root = me["department"]["id"]
    dept = {name: admin.post("/departments", json={"name": name, "parent_id": root}).json()
            for name in ("Sales East", "Sales West")}
    rep_role = admin.post("/roles", json={"name": "Sales rep", "permissions": REP_PERMISSIONS,
                                          "data_scope": "own"}).json()
    manager_role = admin.post("/roles", json={"name": "Sales manager", "data_scope": "department",
                                              "permissions": REP_PERMISSIONS + ["orders.approve"]}).json()
    users = {}
    for code, department, role in (("rep_a", "Sales East", rep_role), ("rep_b", "Sales West", rep_role),
                                   ("manager_a", "Sales East", manager_role)):
        response = admin.post("/users", json={"code": code, "name": code.replace("_", " ").title(),
                                              "department_id": dept[department]["id"],
                                              "password": f"{code}-password", "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
        users[code] = response.json()
    return {"departments": dept, "users": users, "roles": {"rep": rep_role, "manager": manager_role}}


@pytest.fixture(scope="session")
def rep_a(stack, org) -> Api:
    return login(stack, "rep_a", "rep_a-password")


@pytest.fixture(scope="session")
def rep_b(stack, org) -> Api:
    return login(stack, "rep_b", "rep_b-password")


@pytest.fixture(scope="session")
def manager_a(stack, org) -> Api:
    return login(stack, "manager_a", "manager_a-password")


@pytest.fixture(scope="session")
def product(admin):
    response = admin.post("/products", json={"code": "TM-100", "name": "天马 Widget", "list_price": "19.99",
                                             "unit": "pcs"})
    assert response.status_code == 201, response.text
    return response.json()


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


@pytest.fixture(scope="session")
def helpers(stack):
    """Plain functions for tests (test modules cannot import conftest under importlib mode)."""
    class Helpers:
        pick = staticmethod(lambda kind, code, label=None: add_pick(stack, kind, code, label))
        group = staticmethod(lambda path: add_group(stack, path))
        eventually = staticmethod(eventually)
        at_once = staticmethod(at_once)
        table_counts = staticmethod(lambda: table_counts(stack))
        # One component's tables without the event plumbing, which other tests' events may still write.
        domain_counts = staticmethod(lambda component: {
            k: v for k, v in table_counts(stack).items()
            if k.startswith(f"{component}.") and not k.endswith((".processed_events", ".outbox", ".dead_letters"))})
        rows = staticmethod(lambda component, sql, params=(): db_rows(stack, component, sql, params))
        login = staticmethod(lambda username, password: login(stack, username, password))
    return Helpers


@pytest.fixture(scope="session")
def helpers_for():
    """Log in against another suite than the session's (e.g. the two-branch one)."""
    return lambda suite: (lambda username, password: login(suite, username, password))


WORKSPACE_PERMISSIONS = ["calendar.use", "diary.use", "reminders.use", "calls.read", "calls.write",
                         "knowledge.read", "documents.read", "documents.write", "sms.send", "sms.read",
                         "notifications.read", "announcements.read", "customers.read"]


@pytest.fixture(scope="session")
def desk(admin, org, stack):
    """Workspace users (issue 6): desk_a, desk_a2 (Sales East) and desk_b (Sales West) with the
    desk permissions and own scope, and desk_boss (Sales East, department scope)."""
    own = admin.post("/roles", json={"name": "Desk user", "permissions": WORKSPACE_PERMISSIONS,
                                     "data_scope": "own"}).json()
    boss = admin.post("/roles", json={"name": "Desk manager", "permissions": WORKSPACE_PERMISSIONS,
                                      "data_scope": "department"}).json()
    people, users = {}, {}
    for code, department, role in (("desk_a", "Sales East", own), ("desk_a2", "Sales East", own),
                                   ("desk_b", "Sales West", own), ("desk_boss", "Sales East", boss)):
        response = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                              "department_id": org["departments"][department]["id"],
                                              "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
        users[code] = response.json()
        people[code] = login(stack, code, f"{code}-password")
    return {"api": people, "users": users}


@pytest.fixture
def ledger_checked(stack):
    """After the test, `make check-ledger`'s invariants must hold across every service database
    (polled briefly: events that were still travelling settle first)."""
    from check_ledger import check
    yield
    breaches = eventually(lambda: not check(stack.db_prefix), timeout=15) or check(stack.db_prefix)
    assert breaches is True, breaches


@pytest.fixture(scope="session")
def approved_order(rep_a, manager_a, admin):
    """A factory: an order of rep_a approved by manager_a, with its fulfilment and receivable."""
    products = {}

    def make(prices=("19.99",), quantities=None, payment_terms_days=30, customer_id=None):
        quantities = quantities or ["10"] * len(prices)
        lines = []
        for price, quantity in zip(prices, quantities, strict=True):
            if price not in products:
                code = f"LF-{len(products)}-{price}"
                response = admin.post("/products", json={"code": code, "name": f"货品 {code}", "list_price": price,
                                                         "unit": "pcs"})
                assert response.status_code == 201, response.text
                products[price] = response.json()
            lines.append({"product_id": products[price]["id"], "quantity": quantity})
        if customer_id is None:
            customer_id = rep_a.post("/customers", json={"name": "宁波天马物流测试客户",
                                                          "confirm_duplicate": True}).json()["id"]
        order = rep_a.post("/orders", json={"customer_id": customer_id, "payment_terms_days": payment_terms_days,
                                            "lines": lines})
        assert order.status_code == 201, order.text
        order = order.json()
        assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
        approved = manager_a.post(f"/orders/{order['id']}/approve", json={})
        assert approved.status_code == 200, approved.text
        receivable = eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])
        fulfilment = eventually(lambda: rep_a.get("/fulfilments", params={"order_id": order["id"]}).json()["items"])
        assert receivable and fulfilment
        fulfilment = rep_a.get(f"/fulfilments/{fulfilment[0]['id']}").json()
        return {"order": rep_a.get(f"/orders/{order['id']}").json(), "receivable": receivable[0],
                "fulfilment": fulfilment, "customer_id": customer_id}
    return make


@pytest.fixture(scope="session")
def bus(stack):
    """Publish an event as another service would, or listen to one as a consumer would."""
    from kombu import Connection, Exchange, Producer, Queue

    from crm_common.events.catalog import build_envelope, exchange_and_key

    class Bus:
        @staticmethod
        def publish(name: str, data: dict, branch="HQ") -> dict:
            envelope = build_envelope(name, data, branch, None)
            exchange, key = exchange_and_key(name)
            with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
                Producer(conn.channel()).publish(
                    envelope, exchange=Exchange(exchange, type="topic", durable=True), routing_key=key,
                    delivery_mode=2, serializer="json")
            return envelope

        @staticmethod
        def listen(name: str):
            """A context manager yielding `collect(predicate)`: the matching events' data."""
            import contextlib
            import uuid

            @contextlib.contextmanager
            def listening():
                exchange, key = exchange_and_key(name)
                with Connection(stack.amqp_uri) as conn:
                    channel = conn.channel()
                    queue = Queue(f"test-listen-{uuid.uuid4().hex}", exclusive=True, auto_delete=True, routing_key=key,
                                  exchange=Exchange(exchange, type="topic", durable=True))(channel)
                    queue.declare()
                    seen = []

                    def collect(predicate, timeout=15.0):
                        def poll():
                            message = queue.get(no_ack=True)
                            while message is not None:
                                seen.append(message.payload["data"])
                                message = queue.get(no_ack=True)
                            return [data for data in seen if predicate(data)]
                        return eventually(poll, timeout=timeout)
                    yield collect
            return listening()
    return Bus


@pytest.fixture(scope="module")
def events(stack):
    """Every customers.* event published while the module runs, read from a private queue."""
    conn = Connection(stack.amqp_uri)
    queue = Queue(f"test-customers-{uuid.uuid4().hex[:8]}", Exchange("customers.events", type="topic", durable=True),
                  routing_key="#", exclusive=True)
    bound = queue(conn.channel())
    bound.declare()
    seen = []

    def drain(name, predicate=lambda d: True):
        def fetch():
            while (message := bound.get(no_ack=True)) is not None:
                seen.append(json.loads(message.body) if isinstance(message.body, (str, bytes)) else message.body)
            return [e for e in seen if e["name"] == name and predicate(e["data"])]
        return fetch
    yield drain
    conn.release()
