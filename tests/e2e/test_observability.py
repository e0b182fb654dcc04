"""Structured JSON logs with correlation ids, and Prometheus metrics (ADM-08)."""
import json
import uuid

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_gateway_metrics_count_requests_and_rpc_latency(stack, rep_a):
    rep_a.get("/customers")
    body = requests.get(f"http://127.0.0.1:{stack.gateway_port}/metrics", timeout=10).text
    assert 'crm_http_request_seconds_count{method="GET",route="/customers",status="200"}' in body
    assert 'crm_rpc_client_seconds_count{method="list_customers",outcome="ok",service="customers"}' in body


def test_service_metrics_show_rpc_latency_and_outbox_lag(stack, rep_a):
    rep_a.get("/orders")
    scraped = requests.get(f"http://127.0.0.1:{stack.health_port('sales')}/metrics", timeout=10)
    assert scraped.status_code == 200 and scraped.headers["Content-Type"].startswith("text/plain")
    body = scraped.text
    assert 'crm_rpc_server_seconds_count{method="list_orders",outcome="ok",service="sales"}' in body
    assert 'crm_outbox_lag_seconds{service="sales"}' in body
    assert 'crm_dead_letters{service="sales"}' in body
    in_use = float(body.split('crm_db_pool_in_use{service="sales"} ')[1].split()[0])
    capacity = float(body.split('crm_db_pool_capacity{service="sales"} ')[1].split()[0])
    assert 1 <= in_use <= capacity == 15  # the scrape's own connection; CRM_DB_POOL_SIZE 15, no overflow


def test_service_logs_are_json_with_the_requests_correlation_id(stack, rep_a, helpers):
    request_id = f"corr-{uuid.uuid4().hex}"
    assert rep_a.get(f"/customers/{uuid.uuid4()}", headers={"X-Request-ID": request_id}).status_code == 404
    log_file = stack.log_dir / "customers.log"

    def find():
        for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
            if request_id in line:
                return json.loads(line)
        return None

    entry = helpers.eventually(find, timeout=10)
    assert entry and entry["correlation_id"] == request_id and entry["component"] == "customers"
    assert {"ts", "level", "logger", "message"} <= entry.keys()
