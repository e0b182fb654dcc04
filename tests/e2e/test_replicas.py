"""Several replicas and stopping them, as Kubernetes does (deploy/README.md "Several replicas").

A private suite of the gateway and two workspace replicas on one database and one vhost:
- the reminder timer runs in both replicas and still fires every reminder exactly once;
- SIGTERM to a replica during a stream of requests loses none of them (it finishes the RPCs it
  holds, the other replica takes the rest) and the replica exits 0;
- SIGTERM to the gateway while requests are in flight answers all of them before it exits 0.
Its gateway trusts 127.0.0.1 as its proxy (CRM_TRUSTED_PROXIES), as a branch's trusts its
ingress controller: the forwarded client address is the one logged, and HTTPS gets HSTS.
"""
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
import requests

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "replicas-admin-password"
GRACE_SECONDS = 45  # terminationGracePeriodSeconds in deploy/base/patches/deployment-defaults.yaml


@pytest.fixture(scope="module")
def suite(helpers_for):
    from stack import LOCAL, Stack

    slot = int(os.environ.get("CRM_TEST_SLOT", "0"))
    shared = dict(db_prefix=f"crm_rp{slot}_", vhost=f"crm-rp{slot}", gateway_port=18030 + 200 * slot,
                  log_dir=LOCAL / "test-logs" / "replicas",
                  extra_env={"CRM_ADMIN_PASSWORD": ADMIN_PASSWORD, "CRM_REMINDER_TICK_SECONDS": "0.2",
                             "CRM_RATE_LIMIT_PER_MINUTE": "100000"})
    first = Stack(components=("workspace", "gateway"), health_base=18140 + 200 * slot,
                  **{**shared, "extra_env": {**shared["extra_env"], "CRM_TRUSTED_PROXIES": "127.0.0.1/32"}})
    second = Stack(components=("workspace",), health_base=18150 + 200 * slot,
                   **{**shared, "log_dir": shared["log_dir"] / "second"})
    first.prepare(fresh=True)
    try:
        first.start_all()
        second.start_all()
        yield {"first": first, "second": second, "admin": helpers_for(first)("admin", ADMIN_PASSWORD)}
    finally:
        second.stop_all()
        first.stop_all()


def _rows(suite, sql, params=()):
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{suite['first'].db_prefix}workspace") as conn:
        return conn.execute(sql, params).fetchall()


def _running(stack, component="workspace"):
    if component not in stack.processes or stack.processes[component].poll() is not None:
        stack.processes.pop(component, None)
        stack.start(component)
        stack.wait_ready(component)


def test_two_replicas_fire_each_reminder_once(suite):
    admin = suite["admin"]
    _running(suite["first"])
    _running(suite["second"])
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    waves = []
    for wave in range(5):
        waves.append([])
        for n in range(40):
            created = admin.post("/reminders", json={"title": f"replica wave {wave} #{n}", "due_at": later})
            assert created.status_code == 201, created.text
            waves[-1].append(created.json()["id"])
    # Waves falling due at once, 0.5 s apart, give the two timers (0.2 s each) many chances to
    # overlap however slowly the reminders were created.
    for wave in waves:
        _rows(suite, "UPDATE reminders SET due_at = now() WHERE id = ANY(%s) RETURNING id", (wave,))
        time.sleep(0.5)
    ids = [i for wave in waves for i in wave]
    links = [f"/api/v1/reminders/{i}" for i in ids]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pending = _rows(suite, "SELECT count(*) FROM reminders WHERE id = ANY(%s) AND status = 'pending'", (ids,))
        if pending[0][0] == 0:
            break
        time.sleep(0.2)
    fired = dict(_rows(suite, "SELECT link, count(*) FROM notifications WHERE link = ANY(%s) GROUP BY link",
                       (links,)))
    assert {link: fired.get(link, 0) for link in links} == dict.fromkeys(links, 1)
    assert all(p.poll() is None for s in (suite["first"], suite["second"]) for p in s.processes.values())


def test_sigterm_to_a_replica_during_a_stream_of_requests_loses_none(suite):
    admin = suite["admin"]
    _running(suite["first"])
    _running(suite["second"])
    tag = f"stream {time.monotonic_ns()}"
    due = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    total, stop_at = 160, 40
    stopping = threading.Event()

    def one(n):
        if n == stop_at:
            stopping.set()
        return admin.post("/reminders", json={"title": f"{tag} #{n}", "due_at": due}).status_code

    replica = suite["second"].processes["workspace"]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = pool.map(one, range(total))
        assert stopping.wait(60)
        replica.send_signal(signal.SIGTERM)
        statuses = list(answers)
    assert replica.wait(timeout=GRACE_SECONDS) == 0
    suite["second"].processes.pop("workspace")
    assert statuses == [201] * total
    stored = _rows(suite, "SELECT count(*), count(DISTINCT title) FROM reminders WHERE title LIKE %s", (f"{tag} #%",))
    assert stored == [(total, total)]


def test_behind_a_trusted_proxy_the_forwarded_client_is_logged_and_https_gets_hsts(suite):
    _running(suite["first"])
    request_id = f"proxied-{time.monotonic_ns()}"
    due = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
    answer = suite["admin"].post("/reminders", json={"title": "behind the ingress", "due_at": due},
                                 headers={"X-Forwarded-For": "192.0.2.1, 203.0.113.9", "X-Forwarded-Proto": "https",
                                          "X-Request-ID": request_id})
    assert answer.status_code == 201, answer.text
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{suite['first'].db_prefix}gateway") as conn:
        logged = conn.execute("SELECT client_ip FROM operation_log WHERE correlation_id = %s", (request_id,)).fetchall()
    assert logged == [("203.0.113.9",)], "the client is the last hop the trusted proxy appended"
    plain = suite["admin"].get("/reminders", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers
    # the ingress publishes `/` for the console, but the cluster's own endpoints stay inside it
    base = f"http://127.0.0.1:{suite['first'].gateway_port}"
    for path in ("/metrics", "/healthz", "/readyz"):
        outside = requests.get(base + path, headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
        assert outside.status_code == 404 and outside.headers["Content-Type"] == "application/problem+json"
    assert requests.get(base + "/metrics", timeout=10).status_code == 200


def test_sigterm_to_the_gateway_answers_the_requests_in_flight(suite):
    admin = suite["admin"]
    first = suite["first"]
    _running(first)
    gateway, workspace = first.processes["gateway"], first.processes["workspace"]
    # With every workspace replica paused, these requests are sure to be inside the gateway,
    # waiting for their RPC, when SIGTERM arrives.
    if "workspace" in suite["second"].processes:
        suite["second"].kill("workspace")
    workspace.send_signal(signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=5) as pool:
            answers = [pool.submit(admin.get, "/reminders") for _ in range(5)]
            time.sleep(1.0)
            gateway.send_signal(signal.SIGTERM)
            time.sleep(1.0)
            assert gateway.poll() is None, "the gateway exited with requests in flight"
            workspace.send_signal(signal.SIGCONT)
            statuses = [a.result().status_code for a in answers]
    finally:
        workspace.send_signal(signal.SIGCONT)
    assert statuses == [200] * 5
    assert gateway.wait(timeout=GRACE_SECONDS) == 0
    first.processes.pop("gateway")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{first.gateway_port}/healthz", timeout=5)
