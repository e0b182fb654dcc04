"""The backbone scenario over HTTP: customer → order → approval → shipment allowed →
receivable → partial shipment → partial receipt, with each rep seeing only their own data."""
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e


def _ids(page):
    return {item["id"] for item in page["items"]}


def test_order_to_cash_with_data_scope(rep_a, rep_b, manager_a, product, helpers):
    customer = rep_a.post("/customers", json={"name": "杭州天马科技有限公司", "industry": "it",
                                              "phone": "0571-88886666"})
    assert customer.status_code == 201, customer.text
    customer = customer.json()

    order = rep_a.post("/orders", json={"customer_id": customer["id"], "payment_terms_days": 30,
                                        "lines": [{"product_id": product["id"], "quantity": "10"}]})
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["total"] == "199.90" and order["status"] == "draft"
    assert order["number"].startswith("SO-HQ-")

    # Rep B (other department, own scope) can neither read nor find them.
    assert rep_b.get(f"/customers/{customer['id']}").status_code == 404
    assert rep_b.get(f"/orders/{order['id']}").status_code == 404
    assert customer["id"] not in _ids(rep_b.get("/customers").json())
    assert order["id"] not in _ids(rep_b.get("/orders").json())
    assert rep_b.post(f"/orders/{order['id']}/submit").status_code == 404
    # ... nor sell to a customer they cannot see.
    foreign = rep_b.post("/orders", json={"customer_id": customer["id"],
                                          "lines": [{"product_id": product["id"], "quantity": "1"}]})
    assert foreign.status_code == 422 and "customer_id" in foreign.json()["errors"]

    # Reps may not approve; the manager of the department may.
    assert rep_a.post(f"/orders/{order['id']}/submit").json()["status"] == "submitted"
    assert rep_a.post(f"/orders/{order['id']}/approve").status_code == 403
    waiting = helpers.eventually(lambda: [n for n in manager_a.get("/notifications").json()["items"]
                                          if n["link"] == f"/api/v1/orders/{order['id']}"])
    assert waiting and waiting[0]["kind"] == "order_waiting_approval"
    assert not [n for n in rep_b.get("/notifications").json()["items"]
                if n["link"] == f"/api/v1/orders/{order['id']}"]

    approved = manager_a.post(f"/orders/{order['id']}/approve", json={"comment": "ok"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    # Locked once approved.
    edit = rep_a.patch(f"/orders/{order['id']}", json={"customer_id": customer["id"],
                                                        "lines": [{"product_id": product["id"], "quantity": "1"}]})
    assert edit.status_code == 409

    fulfilments = helpers.eventually(lambda: rep_a.get("/fulfilments", params={"order_id": order["id"]}).json()["items"])
    assert len(fulfilments) == 1
    receivables = helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])
    assert len(receivables) == 1
    receivable = receivables[0]
    assert Decimal(receivable["amount"]) == Decimal("199.90")
    assert rep_b.get(f"/receivables/{receivable['id']}").status_code == 404
    assert rep_b.get(f"/fulfilments/{fulfilments[0]['id']}").status_code == 404

    fulfilment = rep_a.get(f"/fulfilments/{fulfilments[0]['id']}").json()
    line = fulfilment["lines"][0]
    shipment = rep_a.post("/shipments", json={"fulfilment_id": fulfilment["id"], "carrier": "顺丰",
                                              "tracking_no": "SF123", "freight_fee": "12.00",
                                              "lines": [{"fulfilment_line_id": line["id"], "quantity": "4"}]})
    assert shipment.status_code == 201, shipment.text
    line_after = rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["lines"][0]
    assert Decimal(line_after["shipped"]) == 4 and Decimal(line_after["remaining"]) == 6

    over = rep_a.post("/shipments", json={"fulfilment_id": fulfilment["id"],
                                          "lines": [{"fulfilment_line_id": line["id"], "quantity": "6.001"}]})
    assert over.status_code == 422
    assert Decimal(rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["lines"][0]["remaining"]) == 6

    receipt = rep_a.post("/receipts", json={"receivable_id": receivable["id"], "amount": "99.95",
                                            "method": "bank_transfer"})
    assert receipt.status_code == 201, receipt.text
    after = rep_a.get(f"/receivables/{receivable['id']}").json()
    assert after["outstanding"] == "99.95" and after["status"] == "partially_paid"

    opened = helpers.eventually(lambda: [n for n in rep_a.get("/notifications").json()["items"]
                                         if n["kind"] == "receivable_opened"
                                         and n["link"] == f"/api/v1/receivables/{receivable['id']}"])
    assert opened
    assert rep_a.get("/notifications/unread-count").json()["unread"] >= 1


def test_manager_sees_department_but_not_other_departments(rep_a, rep_b, manager_a):
    east = rep_a.post("/customers", json={"name": "East Co"}).json()
    west = rep_b.post("/customers", json={"name": "West Co"}).json()
    visible = set()
    page = manager_a.get("/customers", params={"limit": 200}).json()
    visible |= _ids(page)
    assert east["id"] in visible and west["id"] not in visible
    assert manager_a.get(f"/customers/{west['id']}").status_code == 404


def test_keyset_pagination_walks_every_record_once(rep_a):
    created = {rep_a.post("/customers", json={"name": f"分页客户 {i:02d}"}).json()["id"] for i in range(7)}
    seen, cursor = [], None
    while True:
        params = {"limit": 3, "sort": "name", "name": "分页客户"}
        if cursor:
            params["cursor"] = cursor
        page = rep_a.get("/customers", params=params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(seen) == created
