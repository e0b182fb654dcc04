"""An order that ends (completed or closed) stops its fulfilment: pending shipments are cancelled,
what was not shipped is released, nothing more ships, and finance hears what did."""
import uuid

import pytest

from crm_common.errors import Conflict
from crm_logistics.shipping import handlers, queries, use_cases

PERMISSIONS = {"fulfilments.read", "shipments.read", "shipments.write"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


@pytest.fixture
def order(uow, delivered, clerk):
    data = delivered("sales.order_approved", {
        "order_id": str(uuid.uuid4()), "number": "SO-HQ-2026-000042", "customer_id": str(uuid.uuid4()),
        "currency": "CNY", "total": "400.00", "payment_terms_days": 30, "approved_by": str(uuid.uuid4()),
        "owner_id": clerk.user_id, "department_path": clerk.department_path, "branch": clerk.branch,
        "lines": [{"line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "product_name": "打印机",
                   "quantity": "4", "unit_price": "100.00", "amount": "400.00"}]})
    with uow() as unit:
        handlers.open_for_order(unit, data)
    return data


@pytest.fixture
def end(uow, delivered, order):
    def end_(name="sales.order_closed", reason="客户撤单"):
        data = delivered(name, {key: order[key] for key in (
            "order_id", "number", "customer_id", "total", "currency", "owner_id", "department_path", "branch")}
            | {"reason": reason})
        with uow() as unit:
            handlers.close_for_order(unit, data)
    return end_


def fulfilment(uow, clerk, order):
    [item] = queries.list_fulfilments(uow(), clerk, {"order_id": order["order_id"]})["items"]
    return queries.get_fulfilment(uow(), clerk, item["id"])


def ship(uow, clerk, found, quantity, status="shipped"):
    return use_cases.create(uow(), clerk, {"fulfilment_id": found["id"], "status": status, "lines": [
        {"fulfilment_line_id": found["lines"][0]["id"], "quantity": quantity}]})


def test_closing_after_one_of_four_shipped_releases_three_and_refuses_more(uow, clerk, order, end, emitted):
    found = fulfilment(uow, clerk, order)
    ship(uow, clerk, found, "1")
    pending = ship(uow, clerk, found, "2", status="pending")
    end()
    after = fulfilment(uow, clerk, order)
    assert (after["status"], after["closed_reason"]) == ("closed", "客户撤单")
    assert [(line["shipped"], line["released"], line["remaining"]) for line in after["lines"]] == \
        [("1.000", "3.000", "0.000")]
    assert queries.get_shipment(uow(), clerk, pending["id"])["status"] == "cancelled"
    with pytest.raises(Conflict):
        ship(uow, clerk, after, "1")
    [(_, closed)] = emitted("logistics.fulfilment_closed")
    assert closed["lines"] == [{"order_line_id": order["lines"][0]["line_id"], "ordered": "4.000",
                                "shipped": "1.000", "released": "3.000"}]
    assert closed["reason"] == "客户撤单" and closed["order_id"] == order["order_id"]


def test_what_left_before_the_closing_stays_shipped_and_can_still_be_delivered(uow, clerk, order, end):
    found = fulfilment(uow, clerk, order)
    shipment = ship(uow, clerk, found, "1")
    pending = ship(uow, clerk, found, "1", status="pending")
    end()
    with pytest.raises(Conflict):
        use_cases.transition(uow(), clerk, shipment["id"], "cancel")
    with pytest.raises(Conflict):  # the closing cancelled it: it never left
        use_cases.transition(uow(), clerk, pending["id"], "ship")
    assert use_cases.transition(uow(), clerk, shipment["id"], "deliver")["status"] == "delivered"


def test_completed_then_closed_ends_once(uow, clerk, order, end, emitted):
    end("sales.order_completed", reason="订单完成")
    end("sales.order_closed", reason="later")
    assert fulfilment(uow, clerk, order)["closed_reason"] == "订单完成"
    assert len(emitted("logistics.fulfilment_closed")) == 1


def test_an_end_before_the_approval_arrived_is_retried(uow, delivered, clerk):
    data = delivered("sales.order_closed", {
        "order_id": str(uuid.uuid4()), "number": "SO-1", "customer_id": str(uuid.uuid4()), "total": "1.00",
        "currency": "CNY", "owner_id": clerk.user_id, "department_path": clerk.department_path,
        "branch": clerk.branch, "reason": "x"})
    with pytest.raises(handlers.FulfilmentNotOpenYet), uow() as unit:
        handlers.close_for_order(unit, data)
