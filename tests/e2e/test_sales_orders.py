"""SAL-02 / SAL-06 / SAL-12 over HTTP: line pricing with explained rules, discounts beyond the
position limit going to approval, bad input, the status machine, per-line progress from events."""
import uuid
from decimal import Decimal

import pytest
from kombu import Connection, Exchange, Producer

from crm_common.events.catalog import build_envelope, exchange_and_key

pytestmark = pytest.mark.e2e


def _scope(order: dict) -> dict:
    return {"owner_id": order["owner_id"], "department_path": order["department_path"], "branch": order["branch"]}


def _publish(stack, envelope) -> None:
    exchange, key = exchange_and_key(envelope["name"])
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        Producer(conn.channel()).publish(envelope, exchange=Exchange(exchange, type="topic", durable=True),
                                         routing_key=key, delivery_mode=2, serializer="json")


@pytest.fixture(scope="module")
def priced_product(admin):
    code = f"PR-{uuid.uuid4().hex[:8]}"
    product = admin.post("/products", json={"code": code, "name": "Priced widget", "list_price": "100.00",
                                            "category": "widgets"}).json()
    for rule in ({"name": "100+ pcs", "kind": "volume", "priority": 50, "discount_percent": "8",
                  "product_id": product["id"], "min_quantity": "100"},
                 {"name": "Reps", "kind": "position", "discount_percent": "5", "permission": "orders.write"},
                 {"name": "Managers", "kind": "position", "discount_percent": "15",
                  "permission": "orders.approve"}):
        response = admin.post("/price-rules", json=rule)
        assert response.status_code == 201, response.text
    return product


@pytest.fixture(scope="module")
def customer(rep_a):
    return rep_a.post("/customers", json={"name": "定价测试有限公司", "confirm_duplicate": True}).json()


def _order(api, customer, lines, **extra):
    return api.post("/orders", json={"customer_id": customer["id"], "lines": lines, **extra})


def test_lines_are_priced_by_the_server_and_explain_the_rule(rep_a, customer, priced_product):
    order = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "100"}])
    assert order.status_code == 201, order.text
    line = order.json()["lines"][0]
    assert (line["list_price"], line["discount_percent"], line["unit_price"], line["amount"]) == (
        "100.00", "8.00", "92.00", "9200.00")
    assert "volume rule '100+ pcs'" in line["pricing_note"]
    assert order.json()["total"] == "9200.00" and order.json()["discount_over_limit"] is False
    small = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "2",
                                      "discount_percent": "4"}]).json()
    assert small["lines"][0]["unit_price"] == "96.00" and small["discount_over_limit"] is False


def test_a_discount_beyond_the_position_limit_goes_to_approval(rep_a, manager_a, customer, priced_product):
    order = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "2",
                                      "discount_percent": "12"}])
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["discount_over_limit"] is True and order["total"] == "176.00"
    assert "manual discount 12" in order["lines"][0]["pricing_note"]
    submitted = rep_a.post(f"/orders/{order['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    steps = rep_a.get(f"/orders/{order['id']}/approvals").json()[-1]["steps"]
    assert [s["name"] for s in steps][-1] == "Discount approval"
    # Within a manager's limit the same discount needs no discount step.
    own = _order(manager_a, customer | {"id": manager_a.post("/customers", json={"name": "M Co", "confirm_duplicate": True}).json()["id"]},
                 [{"product_id": priced_product["id"], "quantity": "2", "discount_percent": "12"}]).json()
    assert own["discount_over_limit"] is False


def test_bad_order_input_is_refused_and_changes_nothing(rep_a, customer, priced_product, helpers):
    inactive = rep_a.get("/products", params={"active": "false"}).json()["items"]
    line = {"product_id": priced_product["id"], "quantity": "1"}
    bad = [
        {"lines": [{**line, "discount_percent": "100.01"}]},
        {"lines": [{**line, "discount_percent": "-1"}]},
        {"lines": [{**line, "quantity": "0"}]},
        {"lines": [{**line, "quantity": "-3"}]},
        {"lines": [{**line, "quantity": "1e20"}]},
        {"lines": [{**line, "unit_price": "0.01"}]},
        {"lines": [{"product_id": str(uuid.uuid4()), "quantity": "1"}]},
        {"lines": [line], "order_type": "gift"},
        {"lines": [line], "total": "1.00"},
    ]
    if inactive:
        bad.append({"lines": [{"product_id": inactive[0]["id"], "quantity": "1"}]})
    before = helpers.domain_counts("sales")
    for body in bad:
        response = rep_a.post("/orders", json={"customer_id": customer["id"], **body})
        assert response.status_code == 422, (body, response.text)
    assert rep_a.post("/price-rules", json={"name": "x", "kind": "volume", "discount_percent": "5"}).status_code == 403
    assert helpers.domain_counts("sales") == before


def test_status_machine_and_locked_documents(rep_a, manager_a, customer, priced_product):
    order = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "1"}]).json()
    assert rep_a.post(f"/orders/{order['id']}/complete").status_code == 409
    smuggled = rep_a.post(f"/orders/{order['id']}/submit", json={"status": "approved"})
    assert smuggled.status_code == 422 and set(smuggled.json()["errors"]) == {"status"}
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
    edit = rep_a.patch(f"/orders/{order['id']}", json={"customer_id": customer["id"],
                                                        "lines": [{"product_id": priced_product["id"],
                                                                   "quantity": "5"}]})
    assert edit.status_code == 409  # submitted documents are locked too
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 409
    assert manager_a.post(f"/orders/{order['id']}/approve").json()["status"] == "approved"
    assert rep_a.post(f"/orders/{order['id']}/cancel").status_code == 409
    assert rep_a.post(f"/orders/{order['id']}/complete").json()["status"] == "completed"
    assert rep_a.post(f"/orders/{order['id']}/close").json()["status"] == "closed"
    # A cancelled submission ends its approval.
    other = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "1"}]).json()
    rep_a.post(f"/orders/{other['id']}/submit")
    assert rep_a.post(f"/orders/{other['id']}/cancel").json()["status"] == "cancelled"
    assert rep_a.get(f"/orders/{other['id']}/approvals").json()[-1]["status"] == "withdrawn"
    assert manager_a.post(f"/orders/{other['id']}/approve").status_code == 409


def test_samples_are_zero_price_orders_with_their_own_numbers(rep_a, manager_a, customer, priced_product):
    sample = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "3"}], order_type="sample")
    assert sample.status_code == 201, sample.text
    sample = sample.json()
    assert sample["number"].startswith("SP-") and sample["total"] == "0.00"
    assert sample["lines"][0]["pricing_note"] == "sample: zero price"
    listed = rep_a.get("/orders", params={"order_type": "sample"}).json()["items"]
    assert sample["id"] in {o["id"] for o in listed} and {o["order_type"] for o in listed} == {"sample"}

    def sent():
        rows = [r for r in rep_a.get("/sample-report").json()["items"] if r["product_id"] == priced_product["id"]]
        return rows[0] if rows else {"quantity": "0", "orders": 0}
    before = sent()
    rep_a.post(f"/orders/{sample['id']}/submit")
    assert sent() == before  # not sent until approved
    assert manager_a.post(f"/orders/{sample['id']}/approve").json()["status"] == "approved"
    after = sent()
    assert Decimal(after["quantity"]) == Decimal(before["quantity"]) + 3 and after["orders"] == before["orders"] + 1
    assert rep_a.get("/sample-report", params={"since": "someday"}).status_code == 400


def test_per_line_shipped_invoiced_received_follow_events(stack, rep_a, manager_a, customer, priced_product,
                                                         product, helpers):
    order = _order(rep_a, customer, [{"product_id": priced_product["id"], "quantity": "10"},
                                     {"product_id": product["id"], "quantity": "4"}]).json()
    rep_a.post(f"/orders/{order['id']}/submit")
    assert manager_a.post(f"/orders/{order['id']}/approve").status_code == 200
    first, second = order["lines"]  # 1000.00 and 79.96
    # A receivable bills nothing yet: a line counts as invoiced once an invoice names it or covers it.
    assert helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])

    def invoice(amount, lines=()):
        return build_envelope("finance.invoice_issued", {
            **_scope(order), "invoice_id": str(uuid.uuid4()), "number": "INV-HQ-2026-999999",
            "order_id": order["id"], "customer_id": order["customer_id"], "amount": amount, "tax_amount": "0.00",
            "currency": "CNY", "lines": [{"order_line_id": line["id"], "amount": value} for line, value in lines]},
            "HQ", None)

    def invoiced():
        return [line["invoiced"] for line in rep_a.get(f"/orders/{order['id']}").json()["lines"]]
    _publish(stack, invoice("50.00", [(second, "50.00")]))
    assert helpers.eventually(lambda: invoiced() == ["0.00", "50.00"])
    whole = invoice("1000.00")  # not split per line: fills the lines in line order
    _publish(stack, whole)
    _publish(stack, whole)  # a redelivery must not bill twice
    assert helpers.eventually(lambda: invoiced() == ["1000.00", "50.00"])
    # Named on the first line, already full of the unsplit invoice: that part moves on to the second.
    _publish(stack, invoice("20.00", [(first, "20.00")]))
    assert helpers.eventually(lambda: invoiced() == ["1000.00", "70.00"])
    shipment = build_envelope("logistics.shipment_recorded", {**_scope(order), "shipment_id": str(uuid.uuid4()), "order_id": order["id"], "lines": [
        {"order_line_id": first["id"], "quantity": "4"}, {"order_line_id": second["id"], "quantity": "4"}]},
        "HQ", None)
    _publish(stack, shipment)
    _publish(stack, shipment)  # a redelivery must not count twice
    _publish(stack, build_envelope("finance.receipt_recorded", {**_scope(order), "receipt_id": str(uuid.uuid4()), "receivable_id": str(uuid.uuid4()), "order_id": order["id"], "amount": "1050.00",
                                                                "currency": "CNY"}, "HQ", None))

    def settled():
        lines = rep_a.get(f"/orders/{order['id']}").json()["lines"]
        return lines[1]["received"] != "0.00" and lines
    lines = helpers.eventually(settled)
    assert lines, "the events were not applied"
    assert [(Decimal(line["shipped"]), Decimal(line["received"])) for line in lines] == [
        (Decimal("4"), Decimal("1000.00")), (Decimal("4"), Decimal("50.00"))]
    # Let any stray duplicate arrive before checking it was not applied.
    marker = build_envelope("logistics.shipment_recorded", {**_scope(order), "shipment_id": str(uuid.uuid4()), "order_id": order["id"], "lines": [
        {"order_line_id": second["id"], "quantity": "0.001"}]}, "HQ", None)
    _publish(stack, marker)
    assert helpers.eventually(lambda: rep_a.get(f"/orders/{order['id']}").json()["lines"][1]["shipped"] == "4.001")
    assert rep_a.get(f"/orders/{order['id']}").json()["lines"][0]["shipped"] == "4.000"
