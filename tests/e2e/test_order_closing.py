"""Ending an approved order stops what follows it (issue 14): logistics releases what was not
shipped and refuses any further shipment, finance cuts the receivable to the shipped value (or
cancels it) with the reason shown and refunds what was received beyond it; `make check-ledger`
holds after each scenario and reports a breach of the rule when one is planted."""
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e


def _ship(api, fulfilment, quantity):
    return api.post("/shipments", json={"fulfilment_id": fulfilment["id"], "lines": [
        {"fulfilment_line_id": fulfilment["lines"][0]["id"], "quantity": quantity}]})


def _closed_receivable(api, helpers, receivable):
    return helpers.eventually(lambda: (found := api.get(f"/receivables/{receivable['id']}").json())
                              .get("closed_at") and found)


def test_closing_with_one_of_four_shipped_stops_the_rest_and_refunds_the_excess(
        rep_a, admin, approved_order, helpers, ledger_checked):
    made = approved_order(prices=("25.00",), quantities=["4"])
    order, fulfilment, receivable = made["order"], made["fulfilment"], made["receivable"]
    assert _ship(rep_a, fulfilment, "1").status_code == 201
    receipt = rep_a.post("/receipts", json={"receivable_id": receivable["id"], "amount": "60.00", "method": "cash"})
    assert receipt.status_code == 201, receipt.text

    closed = rep_a.post(f"/orders/{order['id']}/close", json={"reason": "客户撤单"})
    assert closed.status_code == 200 and closed.json()["end_reason"] == "客户撤单"

    assert helpers.eventually(lambda: rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["status"] == "closed")
    refused = _ship(rep_a, fulfilment, "3")
    assert refused.status_code == 409, refused.text
    line = rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["lines"][0]
    assert (line["shipped"], line["released"], line["remaining"]) == ("1.000", "3.000", "0.000")

    after = _closed_receivable(rep_a, helpers, receivable)
    assert (after["amount"], after["original_amount"], after["received"], after["refund_due"]) == \
        ("25.00", "100.00", "60.00", "35.00")
    assert (after["status"], after["closed_reason"]) == ("paid", "客户撤单")
    refunds = helpers.eventually(lambda: admin.get("/payments", params={"kind": "closing_refund"}).json()["items"])
    assert [(p["amount"], p["status"]) for p in refunds if p["order_id"] == order["id"]] == [("35.00", "pending")]
    over = admin.post("/invoices", json={"order_id": order["id"], "amount": "25.01"})
    assert over.status_code == 422, over.text


def test_closing_with_nothing_shipped_cancels_the_receivable(rep_a, approved_order, helpers, ledger_checked):
    made = approved_order(prices=("25.00",), quantities=["4"])
    assert rep_a.post(f"/orders/{made['order']['id']}/close").status_code == 200
    after = _closed_receivable(rep_a, helpers, made["receivable"])
    assert (after["amount"], after["status"], after["closed_reason"]) == ("0.00", "cancelled", "订单关闭")
    assert made["receivable"]["id"] not in [r["id"] for r in rep_a.get(
        "/receivables", params={"overdue": "true"}).json()["items"]]
    # the customer's money picture owes nothing for it either, once both events arrived
    assert helpers.eventually(lambda: helpers.rows(
        "customers", "SELECT 1 FROM money_receivables WHERE receivable_id = %s AND amount = 100.00"
        " AND reduced_amount = 0", (made["receivable"]["id"],)))
    assert rep_a.get(f"/customers/{made['customer_id']}/summary").json()["outstanding_amount"] == "0.00"


def test_shipments_racing_the_closing_are_either_billed_or_refused(rep_a, approved_order, helpers, ledger_checked):
    made = approved_order(prices=("10.00",), quantities=["20"])
    order, fulfilment = made["order"], made["fulfilment"]
    shipper = lambda: _ship(rep_a, fulfilment, "1").status_code  # noqa: E731
    closer = lambda: rep_a.post(f"/orders/{order['id']}/close", json={"reason": "停产"}).status_code  # noqa: E731
    answers = helpers.at_once(*[shipper] * 8, closer)
    assert sorted(set(answers)) in ([200, 201], [200, 201, 409], [200, 409])
    after = _closed_receivable(rep_a, helpers, made["receivable"])
    shipped = Decimal(rep_a.get(f"/fulfilments/{fulfilment['id']}").json()["lines"][0]["shipped"])
    assert shipped == answers.count(201) and Decimal(after["amount"]) == shipped * 10


def test_check_ledger_reports_an_ended_order_that_still_bills_or_ships(stack, rep_a, approved_order, helpers):
    from check_ledger import check

    made = approved_order(prices=("25.00",), quantities=["4"])
    fulfilment, receivable = made["fulfilment"], made["receivable"]
    shipment = _ship(rep_a, fulfilment, "1").json()
    assert rep_a.post(f"/orders/{made['order']['id']}/close").status_code == 200
    _closed_receivable(rep_a, helpers, receivable)
    assert helpers.eventually(lambda: not check(stack.db_prefix), timeout=15)
    plants = [("finance", "UPDATE receivables SET amount = original_amount WHERE id = %s RETURNING id",
               "UPDATE receivables SET amount = 25.00 WHERE id = %s RETURNING id", receivable["id"]),
              ("logistics", "UPDATE shipments SET shipped_at = shipped_at + interval '1 day' WHERE id = %s RETURNING id",
               "UPDATE shipments SET shipped_at = shipped_at - interval '1 day' WHERE id = %s RETURNING id",
               shipment["id"]),
              ("logistics", "UPDATE fulfilment_lines SET released = 0 WHERE fulfilment_id = %s RETURNING id",
               "UPDATE fulfilment_lines SET released = 3 WHERE fulfilment_id = %s RETURNING id", fulfilment["id"])]
    try:
        for component, plant, _, key in plants:
            assert helpers.rows(component, plant, (key,))
        breaches = check(stack.db_prefix)
        wrong = breaches["approved order without exactly one receivable for its total (the shipped value once ended)"]
        assert [made["order"]["id"], "25.00", ["100.00"]] in wrong
        assert shipment["id"] in [row[0] for row in breaches["logistics: shipment after its order ended"]]
        assert fulfilment["lines"][0]["id"] in [row[0] for row in breaches[
            "logistics: closed fulfilment with quantity neither shipped nor released, or an open one with a release"]]
    finally:
        for component, _, undo, key in plants:
            helpers.rows(component, undo, (key,))
    assert check(stack.db_prefix) == {}
