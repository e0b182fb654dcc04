"""Events are never lost or applied twice: redelivery, a crashed consumer, retry and dead letters."""
import json
import threading
import uuid
from decimal import Decimal

import pytest
import requests
from kombu import Connection, Exchange, Producer

from crm_common.events.catalog import build_envelope

pytestmark = pytest.mark.e2e
APPROVED_QUEUE = "evt-sales-order_approved--logistics.on_order_approved"


def _publish(stack, exchange: str, routing_key: str, body) -> None:
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(body, exchange=Exchange(exchange, type="topic", durable=True),
                                         routing_key=routing_key, delivery_mode=2, serializer="json")


def _order_approved(org, quantity="2", unit_price="10.00") -> dict:
    rep = org["users"]["rep_a"]
    amount = str((Decimal(quantity) * Decimal(unit_price)).quantize(Decimal("0.01")))
    return build_envelope("sales.order_approved", {
        "order_id": str(uuid.uuid4()), "number": f"SO-HQ-TEST-{uuid.uuid4().hex[:6]}",
        "customer_id": str(uuid.uuid4()), "total": amount, "currency": "CNY", "payment_terms_days": 30,
        "owner_id": rep["id"], "department_path": "/x/", "branch": "HQ", "approved_by": rep["id"],
        "lines": [{"line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "product_name": "P",
                   "quantity": quantity, "unit_price": unit_price, "amount": amount}],
    }, "HQ", None)


def _count(helpers, component, table, order_id):
    return helpers.rows(component, f"SELECT count(*) FROM {table} WHERE order_id = %s", (order_id,))[0][0]


def test_event_queues_exist_before_anything_is_published(stack):
    from stack import _management  # the management API the stack already uses
    assert _management("GET", f"/api/queues/{stack.vhost}/{APPROVED_QUEUE}") == 200
    assert _management("GET", f"/api/queues/{stack.vhost}/{APPROVED_QUEUE}.retry") == 200


def test_same_order_approved_twice_gives_one_fulfilment_and_one_receivable(stack, org, helpers):
    envelope = _order_approved(org)
    order_id = envelope["data"]["order_id"]
    _publish(stack, "sales.events", "order_approved", envelope)
    _publish(stack, "sales.events", "order_approved", envelope)
    assert helpers.eventually(lambda: _count(helpers, "finance", "receivables", order_id) == 1)
    # Both deliveries were handled (the second one skipped), not merely still queued.
    assert helpers.eventually(lambda: helpers.rows(
        "logistics", "SELECT count(*) FROM processed_events WHERE event_id = %s",
        (envelope["event_id"],))[0][0] == 1)
    assert helpers.eventually(lambda: _queue_drained(stack.vhost, APPROVED_QUEUE))
    assert _count(helpers, "logistics", "fulfilments", order_id) == 1
    assert _count(helpers, "finance", "receivables", order_id) == 1


def _queue_drained(vhost: str, queue: str) -> bool:
    from stack import RABBIT_MANAGEMENT
    import requests
    info = requests.get(f"{RABBIT_MANAGEMENT}/api/queues/{vhost}/{queue}", auth=("guest", "guest"), timeout=5).json()
    return info.get("messages", 1) == 0


def test_sigkill_of_logistics_during_approvals_loses_nothing(stack, rep_a, manager_a, product, helpers):
    customer = rep_a.post("/customers", json={"name": "Crash Test Co"}).json()
    orders = []
    for _ in range(24):
        order = rep_a.post("/orders", json={"customer_id": customer["id"],
                                            "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
        assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
        orders.append(order["id"])

    approved, statuses = threading.Event(), []

    def approve_all():
        for index, order_id in enumerate(orders):
            statuses.append(manager_a.post(f"/orders/{order_id}/approve").status_code)
            if index == 8:
                approved.set()

    approver = threading.Thread(target=approve_all)
    approver.start()
    approved.wait(60)
    stack.kill("logistics")  # SIGKILL: no clean shutdown, messages in flight are unacked
    approver.join(120)
    assert statuses == [200] * len(orders)
    stack.start("logistics")
    stack.wait_ready("logistics")

    def all_done():
        fulfilments = helpers.rows("logistics", "SELECT order_id, count(*) FROM fulfilments WHERE order_id = ANY(%s) "
                                   "GROUP BY order_id", (orders,))
        receivables = helpers.rows("finance", "SELECT order_id, count(*) FROM receivables WHERE order_id = ANY(%s) "
                                   "GROUP BY order_id", (orders,))
        return len(fulfilments) == len(orders) and len(receivables) == len(orders) and (fulfilments, receivables)

    result = helpers.eventually(all_done, timeout=60)
    assert result, "some approved orders have no fulfilment or receivable"
    fulfilments, receivables = result
    assert all(count == 1 for _, count in fulfilments) and all(count == 1 for _, count in receivables)


def test_failing_event_is_retried_then_parked_and_can_be_replayed(stack, org, admin, helpers):
    # A quantity too large for the column fails in the database on every attempt.
    envelope = _order_approved(org, quantity="999999999999", unit_price="0.01")
    _publish(stack, "sales.events", "order_approved", envelope)
    parked = helpers.eventually(lambda: [d for d in admin.get("/admin/dead-letters").json()["items"]
                                         if d["event_id"] == envelope["event_id"]], timeout=30)
    assert parked, "the failing event was not parked"
    letter = parked[0]
    assert letter["service"] == "logistics" and letter["attempts"] == 3 and letter["queue"] == APPROVED_QUEUE
    assert letter["event_name"] == "sales.order_approved"
    assert _count(helpers, "logistics", "fulfilments", envelope["data"]["order_id"]) == 0
    metrics = requests.get(f"http://127.0.0.1:{stack.health_port('logistics')}/metrics", timeout=10).text
    assert 'crm_event_retries_total{handler="on_order_approved",service="logistics"}' in metrics

    replay = admin.post(f"/admin/dead-letters/logistics/{letter['id']}/replay")
    assert replay.status_code == 200, replay.text
    assert admin.post(f"/admin/dead-letters/logistics/{letter['id']}/replay").status_code == 409
    # Replayed with a fresh retry budget: it fails the same way and is parked again.
    again = helpers.eventually(lambda: [d for d in admin.get("/admin/dead-letters").json()["items"]
                                        if d["event_id"] == envelope["event_id"] and d["id"] != letter["id"]],
                               timeout=30)
    assert again and again[0]["attempts"] == 3


def test_replayed_dead_letter_is_processed_once_fixed(stack, org, admin, helpers):
    """A parked event whose cause is gone (here: parked by hand) is applied when replayed."""
    envelope = _order_approved(org)
    helpers.rows("logistics", "INSERT INTO dead_letters (queue, event_name, event_id, headers, body, error, attempts) "
                 "VALUES (%s, %s, %s, '{}', %s, 'simulated outage', 5) RETURNING id",
                 (APPROVED_QUEUE, "sales.order_approved", envelope["event_id"], json.dumps(envelope)))
    letter = [d for d in admin.get("/admin/dead-letters").json()["items"] if d["event_id"] == envelope["event_id"]][0]
    assert admin.post(f"/admin/dead-letters/logistics/{letter['id']}/replay").status_code == 200
    order_id = envelope["data"]["order_id"]
    assert helpers.eventually(lambda: _count(helpers, "finance", "receivables", order_id) == 1)
    assert _count(helpers, "logistics", "fulfilments", order_id) == 1


def test_poison_message_is_parked_at_once(stack, admin, helpers):
    _publish(stack, "sales.events", "order_approved", {"name": "sales.order_approved", "data": "garbage"})
    parked = helpers.eventually(lambda: [d for d in admin.get("/admin/dead-letters").json()["items"]
                                         if d["body"] == {"name": "sales.order_approved", "data": "garbage"}])
    assert parked and parked[0]["attempts"] == 1


def test_dead_letters_need_the_admin_permission(rep_a):
    assert rep_a.get("/admin/dead-letters").status_code == 403
