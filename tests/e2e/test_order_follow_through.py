"""Order → shipment → receivable follow-through with the real services: per-line shipped, invoiced
and received on the sales order follow logistics and finance, cancellations and reversals included."""
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e


def test_order_lines_follow_shipments_receipts_cancellations_and_reversals(rep_a, admin, approved_order, helpers,
                                                                          ledger_checked):
    made = approved_order(prices=("19.99",), quantities=["10"])
    order, fulfilment, receivable = made["order"], made["fulfilment"], made["receivable"]
    line = fulfilment["lines"][0]
    shipment = rep_a.post("/shipments", json={"fulfilment_id": fulfilment["id"],
                                              "lines": [{"fulfilment_line_id": line["id"], "quantity": "4"}]})
    assert shipment.status_code == 201, shipment.text
    receipt = rep_a.post("/receipts", json={"receivable_id": receivable["id"], "amount": "50.00",
                                            "method": "cash"})
    assert receipt.status_code == 201, receipt.text

    def order_line():
        return rep_a.get(f"/orders/{order['id']}").json()["lines"][0]

    assert helpers.eventually(lambda: Decimal(order_line()["shipped"]) == 4 and
                              Decimal(order_line()["received"]) == Decimal("50.00"))
    assert order_line()["invoiced"] == "0.00"  # the open receivable is no invoice
    issued = admin.post("/invoices", json={"order_id": order["id"], "amount": "120.00"})
    assert issued.status_code == 201, issued.text
    assert helpers.eventually(lambda: order_line()["invoiced"] == "120.00")

    assert rep_a.post(f"/shipments/{shipment.json()['id']}/cancel").status_code == 200
    assert rep_a.post(f"/receipts/{receipt.json()['id']}/reverse", json={"reason": "bounced"}).status_code \
        in (200, 201)
    assert helpers.eventually(lambda: Decimal(order_line()["shipped"]) == 0 and
                              Decimal(order_line()["received"]) == 0)
