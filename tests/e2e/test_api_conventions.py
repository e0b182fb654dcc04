"""Idempotency keys, ETag / If-Match and rate limits (ADM-10)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_retried_create_with_the_same_key_returns_the_first_result(rep_a, helpers):
    body = {"name": "幂等测试有限公司"}
    first = rep_a.post("/customers", json=body, headers={"Idempotency-Key": "create-idem-1"})
    again = rep_a.post("/customers", json=body, headers={"Idempotency-Key": "create-idem-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert helpers.rows("customers", "SELECT count(*) FROM customers WHERE name = %s", (body["name"],))[0][0] == 1
    other = rep_a.post("/customers", json={"name": "another"}, headers={"Idempotency-Key": "create-idem-1"})
    assert other.status_code == 422
    refused = rep_a.post("/customers", json={"name": 1}, headers={"Idempotency-Key": "create-idem-2"})
    assert refused.status_code == 422
    assert rep_a.post("/customers", json={"name": 1}, headers={"Idempotency-Key": "create-idem-2"}).json() \
        == refused.json()


def test_stale_if_match_is_refused_with_412(rep_a):
    customer = rep_a.post("/customers", json={"name": "ETag Co"}).json()
    read = rep_a.get(f"/customers/{customer['id']}")
    etag = read.headers["ETag"]
    updated = rep_a.patch(f"/customers/{customer['id']}", json={"industry": "manufacturing"}, headers={"If-Match": etag})
    assert updated.status_code == 200 and updated.headers["ETag"] != etag
    stale = rep_a.patch(f"/customers/{customer['id']}", json={"industry": "it"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.headers["Content-Type"] == "application/problem+json"
    assert rep_a.get(f"/customers/{customer['id']}").json()["industry"] == "manufacturing"
    fresh = rep_a.get(f"/customers/{customer['id']}").headers["ETag"]
    assert rep_a.patch(f"/customers/{customer['id']}", json={"industry": "it"},
                       headers={"If-Match": fresh}).status_code == 200


def test_rate_limit_answers_429_with_retry_after(stack, tmp_path):
    """A second gateway on the same suite, with a tiny limit."""
    port = stack.gateway_port + 90
    env = {**stack.env("gateway"), "CRM_GATEWAY_PORT": str(port), "CRM_RATE_LIMIT_PER_MINUTE": "5"}
    log = open(tmp_path / "gateway.log", "wb")
    gateway = subprocess.Popen([sys.executable, "-m", "crm_gateway"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        token = requests.post(f"{base}/auth/login", json={"username": "admin", "password": os.environ.get(
            "CRM_ADMIN_PASSWORD", "admin-test-password")}, timeout=30).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        statuses = [requests.get(f"{base}/me", headers=headers, timeout=30).status_code for _ in range(5)]
        limited = requests.get(f"{base}/me", headers=headers, timeout=30)
        assert statuses == [200] * 5
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)
