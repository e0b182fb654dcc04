"""Shared fixtures: the running suite (real PostgreSQL and RabbitMQ) and an HTTP client. What
they are made of is in suite_api.py (HTTP, waiting, the databases), suites.py (starting suites)
and suite_bus.py (the broker); `from tests.conftest import eventually` still finds it here."""
import json
import os
import sys
import uuid
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Queue

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import Stack  # noqa: E402
from suite_api import (ADMIN_PASSWORD, Api, add_group, add_pick, at_once, db_rows, eventually,  # noqa: E402
                       login, table_counts)
from suites import clock_file, settle_the_pools_day, start_two_branches  # noqa: E402


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


@pytest.fixture
def customer(rep_a):
    """A customer of rep_a's, new for the test."""
    return rep_a.post("/customers", json={"name": f"屏幕 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()


@pytest.fixture(scope="session")
def helpers(stack):
    """Plain functions for tests (test modules cannot import conftest under importlib mode)."""
    class Helpers:
        pick = staticmethod(lambda kind, code, label=None: add_pick(stack, kind, code, label))
        group = staticmethod(lambda path: add_group(stack, path))
        eventually = staticmethod(eventually)
        at_once = staticmethod(at_once)
        table_counts = staticmethod(lambda: table_counts(stack))
        # One component's tables without the event plumbing and the copies of other components'
        # records (sales' approval_people: the directory's users), which other tests' events may still write.
        domain_counts = staticmethod(lambda component: {
            k: v for k, v in table_counts(stack).items()
            if k.startswith(f"{component}.")
            and not k.endswith((".processed_events", ".outbox", ".dead_letters", ".approval_people"))})
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
    from suite_bus import Bus

    return Bus(stack.amqp_uri)


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
