"""The customer header's money picture (issue 12): GET /customers/{id}/summary from the read model
the customers service keeps from sales and finance events, inside the caller's scope."""
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from kombu import Connection, Exchange, Producer

from crm_common.events.catalog import build_envelope, exchange_and_key
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e
RECEIPT_QUEUE = "evt-finance-receipt_recorded--customers.money_on_receipt_recorded"
CLOSED_QUEUE = "evt-sales-order_closed--customers.money_on_order_closed"


def _summary(api, customer_id, **expected):
    """The summary once it shows `expected` (events travel asynchronously), else the last answer."""
    answers = []

    def fetch():
        response = api.get(f"/customers/{customer_id}/summary")
        assert response.status_code == 200, response.text
        answers.append(response.json())
        return all(answers[-1][key] == value for key, value in expected.items())
    assert _eventually(fetch), (expected, answers[-1])
    return answers[-1]


def _eventually(fetch, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (value := fetch()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def test_a_customer_without_money_has_an_empty_picture(rep_a):
    customer = rep_a.post("/customers", json={"name": f"空白客户 {uuid.uuid4().hex[:6]}"}).json()
    answer = rep_a.get(f"/customers/{customer['id']}/summary").json()
    assert answer == {"customer_id": customer["id"], "currency": "CNY", "open_orders_count": 0,
                      "open_orders_amount": "0.00", "outstanding_amount": "0.00", "overdue_amount": "0.00",
                      "last_contact_at": None, "protection_days_left": answer["protection_days_left"],
                      "updated_at": None}


def test_order_to_cash_moves_the_picture(rep_a, approved_order):
    made = approved_order(prices=("19.99", "5.00"), quantities=("10", "2"))  # 199.90 + 10.00
    customer, order, receivable = made["customer_id"], made["order"], made["receivable"]
    assert order["total"] == "209.90" and receivable["amount"] == "209.90"
    picture = _summary(rep_a, customer, open_orders_count=1, outstanding_amount="209.90")
    assert picture["open_orders_amount"] == "209.90" and picture["overdue_amount"] == "0.00"  # due in 30 days
    assert datetime.fromisoformat(picture["updated_at"])

    receipt = rep_a.post("/receipts", json={"receivable_id": receivable["id"], "amount": "100.00",
                                            "method": "bank_transfer"})
    assert receipt.status_code == 201, receipt.text
    _summary(rep_a, customer, outstanding_amount="109.90")
    assert rep_a.post(f"/receipts/{receipt.json()['id']}/reverse", json={"reason": "退票"}).status_code == 200
    _summary(rep_a, customer, outstanding_amount="209.90")

    visit = rep_a.post(f"/customers/{customer}/interactions", json={"kind": "visit", "summary": "上门拜访"}).json()
    assert _summary(rep_a, customer)["last_contact_at"] == visit["occurred_at"]

    # everything shipped, so completing the order leaves its debt whole (docs/sales.md, "Ending an order")
    shipped = rep_a.post("/shipments", json={"fulfilment_id": made["fulfilment"]["id"], "lines": [
        {"fulfilment_line_id": line["id"], "quantity": line["ordered"]} for line in made["fulfilment"]["lines"]]})
    assert shipped.status_code == 201, shipped.text
    assert rep_a.post(f"/orders/{order['id']}/complete", json={}).status_code == 200
    ended = _summary(rep_a, customer, open_orders_count=0)
    assert ended["open_orders_amount"] == "0.00" and ended["outstanding_amount"] == "209.90"


def test_closing_an_order_ends_it_too(rep_a, approved_order):
    made = approved_order(prices=("3.00",))
    _summary(rep_a, made["customer_id"], open_orders_count=1)
    assert rep_a.post(f"/orders/{made['order']['id']}/close", json={}).status_code == 200
    _summary(rep_a, made["customer_id"], open_orders_count=0, open_orders_amount="0.00")


def test_protection_days_left_follow_the_recycle_date(rep_a):
    customer = rep_a.post("/customers", json={"name": f"保护期客户 {uuid.uuid4().hex[:6]}"}).json()
    due = rep_a.get(f"/customers/{customer['id']}").json()["recycle_due_at"]
    left = rep_a.get(f"/customers/{customer['id']}/summary").json()["protection_days_left"]
    if due is None:  # no recycle rule for its level in this suite
        assert left is None
    else:
        zone = ZoneInfo("Asia/Shanghai")
        today = datetime.now(zone).date()
        assert left == max((datetime.fromisoformat(due).astimezone(zone).date() - today).days, 0)


def test_outside_the_scope_is_not_found(rep_a, rep_b, admin, org, helpers):
    customer = rep_a.post("/customers", json={"name": f"别人的客户 {uuid.uuid4().hex[:6]}"}).json()
    assert rep_b.get(f"/customers/{customer['id']}/summary").status_code == 404
    assert rep_a.get(f"/customers/{uuid.uuid4()}/summary").status_code == 404
    assert rep_a.get("/customers/not-an-id/summary").status_code == 404
    role = admin.post("/roles", json={"name": "Orders only", "permissions": ["orders.read"],
                                      "data_scope": "branch"}).json()
    admin.post("/users", json={"code": "orders_only", "name": "Orders Only", "password": "orders-only-password",
                               "department_id": org["departments"]["Sales East"]["id"], "role_ids": [role["id"]]})
    response = helpers.login("orders_only", "orders-only-password").get(f"/customers/{customer['id']}/summary")
    assert response.status_code == 403 and response.headers["Content-Type"].startswith("application/problem+json")


def _publish(stack, envelope, queue=None):
    """To every consumer of the event, or straight into one consumer's `queue`."""
    exchange, key = exchange_and_key(envelope["name"])
    target = Exchange(exchange, type="topic", durable=True) if queue is None else Exchange("")
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(envelope, exchange=target, routing_key=queue or key, delivery_mode=2,
                                         serializer="json")


def test_events_in_any_order_and_twice_count_once(stack, rep_a, manager_a, product, helpers):
    """A receipt that overtakes its receivable's opening, an event delivered twice, and a closing
    that overtakes the approval. Only events nobody else acts on are forged here (sales reads a
    receipt of an order it does not know as nothing); the approval is a real one."""
    me = rep_a.get("/me").json()
    customer = rep_a.post("/customers", json={"name": f"乱序客户 {uuid.uuid4().hex[:6]}"}).json()
    scope = {"owner_id": me["id"], "department_path": me["department"]["path"], "branch": me["branch"]}
    receivable, order = str(uuid.uuid4()), str(uuid.uuid4())
    receipt = build_envelope("finance.receipt_recorded", {
        "receipt_id": str(uuid.uuid4()), "receivable_id": receivable, "order_id": order, "amount": "30.00",
        "currency": "CNY", **scope}, me["branch"], None)
    _publish(stack, receipt)
    _publish(stack, build_envelope("finance.receivable_opened", {
        "receivable_id": receivable, "order_id": order, "order_number": "SO-X-1", "customer_id": customer["id"],
        "amount": "100.00", "currency": "CNY", "due_date": current_day() - timedelta(days=3), **scope},
        me["branch"], None))
    _summary(rep_a, customer["id"], outstanding_amount="70.00", overdue_amount="70.00")
    _publish(stack, receipt)  # redelivered: the same event_id
    assert _eventually(lambda: _queue_drained(stack.vhost, RECEIPT_QUEUE))  # handled (skipped), not still queued

    real = rep_a.post("/orders", json={"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    # to the money picture alone: logistics and finance act on a closing (they stop the order)
    _publish(stack, build_envelope("sales.order_closed", {
        "order_id": real["id"], "number": real["number"], "customer_id": customer["id"], "total": real["total"],
        "currency": "CNY", "reason": "乱序", **scope}, me["branch"], None), queue=CLOSED_QUEUE)
    assert rep_a.post(f"/orders/{real['id']}/submit").status_code == 200
    assert manager_a.post(f"/orders/{real['id']}/approve", json={}).status_code == 200
    assert _eventually(lambda: helpers.rows(
        "customers", "SELECT 1 FROM money_orders WHERE order_id = %s AND approved_at IS NOT NULL", (real["id"],)))
    # its receivable (due in 30 days) joins the forged one's 70.00; the order stays ended
    picture = _summary(rep_a, customer["id"], outstanding_amount=str(Decimal("70.00") + Decimal(real["total"])))
    assert (picture["overdue_amount"], picture["open_orders_count"]) == ("70.00", 0)


def _queue_drained(vhost: str, queue: str) -> bool:
    from stack import RABBIT_MANAGEMENT
    info = requests.get(f"{RABBIT_MANAGEMENT}/api/queues/{vhost}/{queue}", auth=("guest", "guest"), timeout=5).json()
    return info.get("messages", 1) == 0  # ready and unacknowledged


def test_the_backfill_rebuilds_a_picture_from_sales_and_finance(stack, rep_a, approved_order, helpers):
    """Orders and receivables from before the read model existed (docs/customers.md)."""
    made = approved_order(prices=("7.77",))
    customer = made["customer_id"]
    assert rep_a.post("/receipts", json={"receivable_id": made["receivable"]["id"], "amount": "7.00",
                                         "method": "cash"}).status_code == 201
    before = _summary(rep_a, customer, open_orders_count=1, outstanding_amount="70.70")
    for table in ("money_orders", "money_receivables"):  # as if the events had come before migration 0007
        helpers.rows("customers", f"DELETE FROM {table} WHERE customer_id = %s RETURNING 1", (customer,))
    assert _summary(rep_a, customer)["open_orders_count"] == 0
    script = Path(__file__).resolve().parents[2] / "scripts" / "backfill_money_picture.py"
    for _ in range(2):  # a second run changes nothing
        done = subprocess.run([sys.executable, str(script)], env={**os.environ, "CRM_DB_PREFIX": stack.db_prefix},
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        after = _summary(rep_a, customer)
        assert {**after, "updated_at": None} == {**before, "updated_at": None}


def test_a_merge_hands_the_money_to_the_survivor(stack, admin):
    me = admin.get("/me").json()
    target, source = (admin.post("/customers", json={"name": f"合并客户 {uuid.uuid4().hex[:6]}",
                                                     "confirm_duplicate": True}).json() for _ in range(2))
    scope = {"owner_id": me["id"], "department_path": me["department"]["path"], "branch": me["branch"]}
    _publish(stack, build_envelope("finance.receivable_opened", {
        "receivable_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "order_number": "SO-X-2",
        "customer_id": source["id"], "amount": "12.34", "currency": "CNY",
        "due_date": datetime.now(ZoneInfo("Asia/Shanghai")).date(), **scope},
        me["branch"], None))
    _summary(admin, source["id"], outstanding_amount="12.34")
    assert admin.post(f"/customers/{target['id']}/merge", json={"source_id": source["id"]}).status_code == 200
    _summary(admin, target["id"], outstanding_amount="12.34", overdue_amount="0.00")  # due today: not overdue yet
