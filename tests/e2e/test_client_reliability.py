"""Exactly once from the client's side (issue 11): a paused service, a killed gateway and dropped
database connections while a client retries with one Idempotency-Key; no 500 on a database blip."""
import signal
import threading
import time
import uuid

import psycopg
import pytest
import requests

pytestmark = pytest.mark.e2e
SHORT_RPC_TIMEOUT = "6"


@pytest.fixture
def short_timeout_gateway(stack):
    """The gateway restarted with a short RPC timeout, so pausing a service past it is quick."""
    stack.kill("gateway")
    stack.extra_env["CRM_RPC_TIMEOUT_SECONDS"] = SHORT_RPC_TIMEOUT
    stack.start("gateway")
    stack.wait_ready("gateway")
    yield stack
    stack.kill("gateway")
    del stack.extra_env["CRM_RPC_TIMEOUT_SECONDS"]
    stack.start("gateway")
    stack.wait_ready("gateway")


@pytest.fixture
def new_order(rep_a, product):
    def make():
        customer = rep_a.post("/customers", json={"name": f"可靠性 {uuid.uuid4().hex[:8]}",
                                                  "confirm_duplicate": True}).json()
        return {"customer_id": customer["id"], "lines": [{"product_id": product["id"], "quantity": "2"}]}
    return make


def _orders_of(helpers, body) -> list:
    return [row[0] for row in helpers.rows("sales", "SELECT id::text FROM orders WHERE customer_id = %s",
                                           (body["customer_id"],))]


def _signal(stack, component, sig) -> None:
    stack.processes[component].send_signal(sig)


def test_a_paused_service_past_the_timeout_gives_one_order_and_the_retry_its_id(
        short_timeout_gateway, rep_a, new_order, helpers):
    stack, body, key = short_timeout_gateway, new_order(), {"Idempotency-Key": f"pause-{uuid.uuid4()}"}
    _signal(stack, "sales", signal.SIGSTOP)
    try:
        timed_out = [rep_a.post("/orders", json=body, headers=key) for _ in range(2)]
    finally:
        _signal(stack, "sales", signal.SIGCONT)
    for answer in timed_out:  # the outcome is unknown to the gateway: the key is kept, not released
        assert answer.status_code == 503 and int(answer.headers["Retry-After"]) >= 1, answer.text
    retry = rep_a.post("/orders", json=body, headers=key)
    assert retry.status_code == 201, retry.text
    # both timed-out copies reached the service after their deadline: refused, not done late
    time.sleep(1)
    assert _orders_of(helpers, body) == [retry.json()["id"]]
    again = rep_a.post("/orders", json=body, headers=key)
    assert again.status_code == 201 and again.json() == retry.json()


def test_sigkill_of_the_gateway_mid_post_then_a_retry_returns_the_one_order_within_10_s(
        short_timeout_gateway, rep_a, new_order, helpers):
    stack, body, key = short_timeout_gateway, new_order(), {"Idempotency-Key": f"crash-{uuid.uuid4()}"}
    _signal(stack, "sales", signal.SIGSTOP)  # holds the request inside the service
    lost = []
    first = threading.Thread(target=lambda: lost.append(_post_or_error(rep_a, body, key)))
    first.start()
    try:
        assert _eventually_claimed(helpers, key["Idempotency-Key"])
        time.sleep(0.3)  # the claim is written just before the RPC is sent
        stack.kill("gateway")
    finally:
        _signal(stack, "sales", signal.SIGCONT)  # the service does the work; its answer goes nowhere
    first.join(timeout=30)
    assert lost == ["connection lost"]
    assert helpers.eventually(lambda: len(_orders_of(helpers, body)) == 1, timeout=20)
    stack.start("gateway")
    stack.wait_ready("gateway")
    started, statuses = time.monotonic(), []
    while time.monotonic() - started < 10:
        answer = rep_a.post("/orders", json=body, headers=key)
        statuses.append(answer.status_code)
        if answer.status_code == 201:
            break
        time.sleep(0.2)
    assert statuses[-1] == 201 and set(statuses[:-1]) <= {409}, statuses
    assert _orders_of(helpers, body) == [answer.json()["id"]]


def _post_or_error(api, body, headers):
    try:
        return api.post("/orders", json=body, headers=headers).status_code
    except requests.ConnectionError:
        return "connection lost"


def _eventually_claimed(helpers, key) -> bool:
    return bool(helpers.eventually(lambda: helpers.rows(
        "gateway", "SELECT 1 FROM idempotency_keys WHERE key = %s", (key,)), timeout=10))


def test_dropped_database_connections_during_writes_give_no_500_and_no_double(
        stack, rep_a, new_order, helpers):
    """Sales' backends are terminated again and again while orders stream in; every client retries
    a 503 with its key until it gets its order."""
    bodies = [new_order() for _ in range(24)]
    answers: dict[int, list] = {index: [] for index in range(len(bodies))}
    stop = threading.Event()

    def killer():
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            while not stop.is_set():
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (f"{stack.db_prefix}sales",))
                time.sleep(0.15)

    def client(indexes):
        for index in indexes:
            key = {"Idempotency-Key": f"blip-{uuid.uuid4()}"}
            for _ in range(20):
                answer = rep_a.post("/orders", json=bodies[index], headers=key)
                answers[index].append(answer)
                if answer.status_code != 503:
                    break
                time.sleep(float(answer.headers["Retry-After"]) / 4)

    threads = [threading.Thread(target=killer)] + [
        threading.Thread(target=client, args=(range(start, len(bodies), 4),)) for start in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join(timeout=300)
    stop.set()
    threads[0].join(timeout=30)
    statuses = [answer.status_code for tries in answers.values() for answer in tries]
    assert 500 not in statuses
    assert all(answer.headers.get("Retry-After") for tries in answers.values() for answer in tries
               if answer.status_code == 503)
    for index, body in enumerate(bodies):
        assert answers[index][-1].status_code == 201, [a.text for a in answers[index]]
        assert _orders_of(helpers, body) == [answers[index][-1].json()["id"]]


def test_a_gateway_route_that_calls_a_service_sends_the_key_along(rep_a, helpers):
    """Routes of the gateway's own that pass a write on to a service (here a customer's care record)
    get the same record-with-the-effect guarantee as proxied ones."""
    customer = rep_a.post("/customers", json={"name": f"关怀 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    key = f"care-{uuid.uuid4()}"
    body = {"kind": "gift", "occurred_on": "2026-02-01"}
    first = rep_a.post(f"/customers/{customer['id']}/care-records", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    recorded = helpers.rows("customers", "SELECT answer FROM idempotent_requests WHERE key LIKE %s",
                            (f"%:{key}|customers.create_record",))
    assert [row[0] for row in recorded] == [first.json()]
    again = rep_a.post(f"/customers/{customer['id']}/care-records", json=body, headers={"Idempotency-Key": key})
    assert again.status_code == 201 and again.json() == first.json()


@pytest.fixture
def answer_held(stack):
    """Holds the moment a gateway stores the answer of one key: a trigger on idempotency_keys waits
    on an advisory lock the test holds, so the gateway can be killed exactly there."""
    dsn = f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}gateway"
    lock = 1100 + int(uuid.uuid4().int % 1000)
    holder = psycopg.connect(dsn, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (lock,))

    def hold(key: str) -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"""
                CREATE OR REPLACE FUNCTION hold_answer() RETURNS trigger AS $$
                BEGIN
                    IF NEW.key = '{key}' AND NEW.status IS NOT NULL THEN PERFORM pg_advisory_xact_lock({lock});
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""")
            conn.execute("CREATE TRIGGER hold_answer BEFORE UPDATE ON idempotency_keys "
                         "FOR EACH ROW EXECUTE FUNCTION hold_answer()")

    def waiting() -> bool:
        return bool(holder.execute("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = %s "
                                   "AND NOT granted", (lock,)).fetchall())

    def release() -> None:
        holder.execute("SELECT pg_advisory_unlock(%s)", (lock,))

    hold.waiting, hold.release = waiting, release
    try:
        yield hold
    finally:
        release()
        holder.execute("DROP TRIGGER IF EXISTS hold_answer ON idempotency_keys")
        holder.execute("DROP FUNCTION IF EXISTS hold_answer()")
        holder.close()


def test_a_gateway_killed_between_its_own_effect_and_the_answer_gives_one_effect_and_its_id(
        stack, admin, helpers, answer_held):
    """A keyed write to a route answered from the gateway's database (a department): the gateway
    dies when the effect is done and the answer not yet stored; the retry gets one department."""
    name, key = f"可靠部 {uuid.uuid4().hex[:8]}", {"Idempotency-Key": f"own-{uuid.uuid4()}"}
    answer_held(key["Idempotency-Key"])
    lost = []

    def post():
        try:
            lost.append(admin.post("/departments", json={"name": name}, headers=key).status_code)
        except requests.ConnectionError:
            lost.append("connection lost")

    first = threading.Thread(target=post)
    first.start()
    try:
        assert helpers.eventually(answer_held.waiting, timeout=30)
        stack.kill("gateway")
        first.join(timeout=30)
        assert lost == ["connection lost"]
    finally:
        answer_held.release()  # the orphaned transaction goes on, then finds its client gone
        if "gateway" not in stack.processes:
            stack.start("gateway")
            stack.wait_ready("gateway")
    started, statuses = time.monotonic(), []
    while time.monotonic() - started < 10:
        answer = admin.post("/departments", json={"name": name}, headers=key)
        statuses.append(answer.status_code)
        if answer.status_code == 201:
            break
        time.sleep(0.2)
    assert statuses[-1] == 201 and set(statuses[:-1]) <= {409}, statuses
    departments = helpers.rows("gateway", "SELECT id::text FROM departments WHERE name = %s", (name,))
    assert [row[0] for row in departments] == [answer.json()["id"]]
    again = admin.post("/departments", json={"name": name}, headers=key)
    assert again.status_code == 201 and again.json() == answer.json()
    assert again.headers["Idempotent-Replayed"] == "true"
