"""SAL-09 over HTTP: a return against an approved order, never more than shipped, approved through
the engine, then `sales.return_approved` for logistics and finance."""
import json
import time
import uuid

import pytest
from kombu import Connection, Exchange, Producer, Queue

from crm_common.events.catalog import build_envelope

pytestmark = pytest.mark.e2e


def _scope(order: dict) -> dict:
    return {"owner_id": order["owner_id"], "department_path": order["department_path"], "branch": order["branch"]}
SALES_EVENTS = Exchange("sales.events", type="topic", durable=True)


def _publish(stack, envelope):
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(envelope, exchange=Exchange("logistics.events", type="topic", durable=True),
                                         routing_key="shipment_recorded", delivery_mode=2, serializer="json")


@pytest.fixture(scope="module")
def second(admin):
    return admin.post("/products", json={"code": f"RT-{uuid.uuid4().hex[:8]}", "name": "Return widget",
                                         "list_price": "5.00"}).json()


@pytest.fixture
def shipped_order(stack, rep_a, manager_a, product, second, helpers):
    customer = rep_a.post("/customers", json={"name": "退货客户", "confirm_duplicate": True}).json()
    order = rep_a.post("/orders", json={"customer_id": customer["id"], "lines": [
        {"product_id": product["id"], "quantity": "10"}, {"product_id": second["id"], "quantity": "1"}]}).json()
    rep_a.post(f"/orders/{order['id']}/submit")
    assert manager_a.post(f"/orders/{order['id']}/approve").status_code == 200
    first = order["lines"][0]
    _publish(stack, build_envelope("logistics.shipment_recorded", {**_scope(order), "shipment_id": str(uuid.uuid4()), 
        "order_id": order["id"], "lines": [{"order_line_id": first["id"], "quantity": "4"}]}, "HQ", None))
    assert helpers.eventually(lambda: rep_a.get(f"/orders/{order['id']}").json()["lines"][0]["shipped"] == "4.000")
    return rep_a.get(f"/orders/{order['id']}").json()


def _return(api, order, entries, reason="破损"):
    return api.post("/returns", json={"order_id": order["id"], "reason": reason, "lines": entries})


def test_returns_never_exceed_what_was_shipped(shipped_order, rep_a, rep_b, helpers):
    first, second = shipped_order["lines"]
    before = helpers.domain_counts("sales")
    for entries in ([{"order_line_id": first["id"], "quantity": "4.001"}],
                    [{"order_line_id": second["id"], "quantity": "1"}],  # not shipped at all
                    [{"order_line_id": str(uuid.uuid4()), "quantity": "1"}],
                    [{"order_line_id": first["id"], "quantity": "0"}],
                    [{"order_line_id": first["id"], "quantity": "1"}, {"order_line_id": first["id"], "quantity": "1"}]):
        response = _return(rep_a, shipped_order, entries)
        assert response.status_code == 422, (entries, response.text)
    assert _return(rep_b, shipped_order, [{"order_line_id": first["id"], "quantity": "1"}]).status_code == 422
    assert helpers.domain_counts("sales") == before
    created = _return(rep_a, shipped_order, [{"order_line_id": first["id"], "quantity": "3"}])
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "submitted" and created.json()["number"].startswith("RT-")
    # 4 shipped, 3 already claimed by an open return: 2 more is too many, 1 is fine.
    assert _return(rep_a, shipped_order, [{"order_line_id": first["id"], "quantity": "2"}]).status_code == 422
    assert _return(rep_a, shipped_order, [{"order_line_id": first["id"], "quantity": "1"}]).status_code == 201


def test_an_approved_return_tells_logistics_and_finance(stack, shipped_order, rep_a, manager_a):
    first = shipped_order["lines"][0]
    created = _return(rep_a, shipped_order, [{"order_line_id": first["id"], "quantity": "2"}]).json()
    assert rep_a.post(f"/returns/{created['id']}/approve").status_code == 403
    with Connection(stack.amqp_uri) as conn:
        channel = conn.channel()
        queue = Queue(f"test-returns-{uuid.uuid4().hex[:8]}", exchange=SALES_EVENTS, routing_key="return_approved",
                      exclusive=True, auto_delete=True)(channel)
        queue.declare()
        approved = manager_a.post(f"/returns/{created['id']}/approve", json={"comment": "收到照片, 同意"})
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
        message, deadline = None, time.monotonic() + 15
        while time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message and json.loads(message.body)["data"]["return_id"] == created["id"]:
                break
            time.sleep(0.05)
        assert message is not None
        data = json.loads(message.body)["data"]
    assert data["order_id"] == shipped_order["id"] and data["total"] == str(created["total"])
    assert data["lines"] == [{"order_line_id": first["id"], "product_id": first["product_id"], "quantity": "2.000",
                              "unit_price": first["unit_price"], "amount": created["lines"][0]["amount"]}]
    assert data["owner_id"] == shipped_order["owner_id"] and data["customer_id"] == shipped_order["customer_id"]
    assert manager_a.post(f"/returns/{created['id']}/approve").status_code == 409
    history = rep_a.get(f"/returns/{created['id']}/approvals").json()[-1]
    assert [a["action"] for a in history["actions"]] == ["submit", "approve"]


def test_no_return_against_an_order_not_approved(rep_a, product):
    customer = rep_a.post("/customers", json={"name": "草稿退货", "confirm_duplicate": True}).json()
    order = rep_a.post("/orders", json={"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    response = _return(rep_a, order, [{"order_line_id": order["lines"][0]["id"], "quantity": "1"}])
    assert response.status_code == 409
