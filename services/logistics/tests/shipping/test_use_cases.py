"""Fulfilments and shipments through their use cases on the logistics database alone."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import BadRequest, Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.carriers import use_cases as carriers
from crm_logistics.shipping import handlers, queries, use_cases

PERMISSIONS = {"fulfilments.read", "shipments.read", "shipments.write", "carriers.write", "carriers.read"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


@pytest.fixture
def approve(uow, delivered):
    return lambda owner, **kwargs: _approve(uow, delivered, owner, **kwargs)


def _approve(uow, delivered, owner, quantities=("3", "2"), currency="CNY"):
    """What sales.order_approved brings: opens the fulfilment; returns the order's data."""
    order = {"order_id": str(uuid.uuid4()), "number": f"SO-HQ-2026-{uuid.uuid4().int % 10**6:06d}",
             "customer_id": str(uuid.uuid4()), "currency": currency, "total": "1000.00",
             "payment_terms_days": 30, "approved_by": str(uuid.uuid4()), "owner_id": owner.user_id, "department_path": owner.department_path,
             "branch": owner.branch,
             "lines": [{"line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "product_name": f"P{i}",
                        "quantity": quantity, "unit_price": "100.00", "amount": "100.00"} for i, quantity in enumerate(quantities)]}
    order = delivered("sales.order_approved", order)
    with uow() as unit:
        handlers.open_for_order(unit, order)
    return order


def fulfilment_of(uow, clerk, order):
    [item] = queries.list_fulfilments(uow(), clerk, {"order_id": order["order_id"]})["items"]
    return queries.get_fulfilment(uow(), clerk, item["id"])


def ship(uow, clerk, fulfilment, quantities, **extra):
    lines = [{"fulfilment_line_id": line["id"], "quantity": quantity}
             for line, quantity in zip(fulfilment["lines"], quantities, strict=False) if quantity]
    return use_cases.create(uow(), clerk, {"fulfilment_id": fulfilment["id"], "lines": lines, **extra})


def test_an_approved_order_opens_its_fulfilment_and_allows_shipment(uow, clerk, approve, emitted):
    order = approve(clerk)
    fulfilment = fulfilment_of(uow, clerk, order)
    assert fulfilment["status"] == "open" and fulfilment["order_number"] == order["number"]
    assert [line["remaining"] for line in fulfilment["lines"]] == ["3.000", "2.000"]
    [(_, data)] = emitted("logistics.shipment_allowed")
    assert data["fulfilment_id"] == fulfilment["id"] and data["total"] == "1000.00"
    assert data["payment_terms_days"] == 30 and data["owner_id"] == clerk.user_id


def test_a_second_approval_of_the_same_order_opens_nothing(uow, clerk, approve, emitted):
    order = approve(clerk)
    with uow() as unit:
        handlers.open_for_order(unit, {**order, "number": "SO-OTHER"})
    assert len(queries.list_fulfilments(uow(), clerk, {})["items"]) == 1
    assert len(emitted("logistics.shipment_allowed")) == 1


def test_an_order_without_lines_is_completed_at_once(uow, clerk, approve):
    order = approve(clerk, quantities=())
    assert fulfilment_of(uow, clerk, order)["status"] == "completed"


def test_shipping_part_keeps_the_fulfilment_open_and_tells_sales(uow, clerk, approve, emitted):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    shipment = ship(uow, clerk, fulfilment, ["1.5"])
    assert shipment["status"] == "shipped" and shipment["number"].startswith("SH-HQ-")
    assert shipment["shipped_at"] is not None
    after = queries.get_fulfilment(uow(), clerk, fulfilment["id"])
    assert after["status"] == "open" and after["lines"][0]["remaining"] == "1.500"
    [(_, data)] = emitted("logistics.shipment_recorded")
    assert data["lines"] == [{"order_line_id": fulfilment["lines"][0]["order_line_id"], "quantity": "1.5"}]


def test_shipping_everything_completes_the_fulfilment(uow, clerk, approve):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    ship(uow, clerk, fulfilment, ["3", "2"])
    assert queries.get_fulfilment(uow(), clerk, fulfilment["id"])["status"] == "completed"


def test_over_shipping_is_invalid_input_and_nothing_is_written(uow, clerk, approve, emitted):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    with pytest.raises(InvalidInput) as refused:
        ship(uow, clerk, fulfilment, ["1", "2.001"])
    assert list(refused.value.errors["lines"][1]) == ["quantity"]
    assert queries.list_shipments(uow(), clerk, {})["items"] == []
    assert [line["shipped"] for line in queries.get_fulfilment(uow(), clerk, fulfilment["id"])["lines"]] == \
        ["0.000", "0.000"]
    assert emitted("logistics.shipment_recorded") == []


def test_a_line_of_another_fulfilment_is_refused(uow, clerk, approve):
    first = fulfilment_of(uow, clerk, approve(clerk))
    second = fulfilment_of(uow, clerk, approve(clerk))
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"fulfilment_id": first["id"], "lines": [
            {"fulfilment_line_id": second["lines"][0]["id"], "quantity": "1"}]})
    assert refused.value.errors == {"lines": {0: {"fulfilment_line_id": ["Not a line of this fulfilment."]}}}


def test_another_owners_fulfilment_and_shipment_are_not_found(uow, clerk, approve, principal_factory):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    shipment = ship(uow, clerk, fulfilment, ["1"])
    other = principal_factory(permissions=PERMISSIONS, scope="own")
    with pytest.raises(NotFound):
        queries.get_fulfilment(uow(), other, fulfilment["id"])
    with pytest.raises(NotFound):
        queries.get_shipment(uow(), other, shipment["id"])
    with pytest.raises(NotFound):
        ship(uow, other, fulfilment, ["1"])
    with pytest.raises(NotFound):
        use_cases.transition(uow(), other, shipment["id"], "deliver")
    assert queries.list_shipments(uow(), other, {})["items"] == []


def test_a_department_sees_its_members_shipments(uow, clerk, approve, principal_factory):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    ship(uow, clerk, fulfilment, ["1"])
    manager = principal_factory(permissions=PERMISSIONS, scope="department")
    assert len(queries.list_shipments(uow(), manager, {"fulfilment_id": fulfilment["id"]})["items"]) == 1


def test_without_the_write_permission_nothing_ships(uow, clerk, approve, principal_factory):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    reader = principal_factory(permissions={"fulfilments.read", "shipments.read"}, scope="all")
    with pytest.raises(Forbidden):
        ship(uow, reader, fulfilment, ["1"])


def test_a_pending_shipment_reserves_and_tells_sales_only_when_it_ships(uow, clerk, approve, emitted):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    pending = ship(uow, clerk, fulfilment, ["3", "2"], status="pending")
    assert pending["status"] == "pending" and pending["shipped_at"] is None
    assert queries.get_fulfilment(uow(), clerk, fulfilment["id"])["status"] == "completed"
    assert emitted("logistics.shipment_recorded") == []
    shipped = use_cases.transition(uow(), clerk, pending["id"], "ship")
    assert shipped["status"] == "shipped" and shipped["shipped_at"] is not None
    assert len(emitted("logistics.shipment_recorded")) == 1
    delivered = use_cases.transition(uow(), clerk, pending["id"], "deliver", {})
    assert delivered["status"] == "delivered" and delivered["delivered_at"] is not None


def test_cancelling_a_shipped_shipment_gives_the_quantities_back(uow, clerk, approve, emitted):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    shipment = ship(uow, clerk, fulfilment, ["3", "2"])
    cancelled = use_cases.transition(uow(), clerk, shipment["id"], "cancel")
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] is not None
    after = queries.get_fulfilment(uow(), clerk, fulfilment["id"])
    assert after["status"] == "open" and [line["remaining"] for line in after["lines"]] == ["3.000", "2.000"]
    [(_, data)] = emitted("logistics.shipment_cancelled")
    assert data["shipment_id"] == shipment["id"] and len(data["lines"]) == 2


def test_cancelling_a_pending_shipment_tells_sales_nothing(uow, clerk, approve, emitted):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    pending = ship(uow, clerk, fulfilment, ["1"], status="pending")
    use_cases.transition(uow(), clerk, pending["id"], "cancel")
    assert emitted("logistics.shipment_cancelled") == [] and emitted("logistics.shipment_recorded") == []


@pytest.mark.parametrize("action,allowed", [("deliver", ["ship", "cancel"]), ("ship", ["ship", "cancel"])])
def test_a_wrong_step_on_a_pending_shipment_is_a_409_naming_what_is_allowed(uow, clerk, approve, action, allowed):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    pending = ship(uow, clerk, fulfilment, ["1"], status="pending")
    if action == "ship":
        use_cases.transition(uow(), clerk, pending["id"], "ship")
        allowed = ["deliver", "cancel"]
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.transition(uow(), clerk, pending["id"], action)
    assert refused.value.status == 409 and refused.value.errors["allowed_actions"] == allowed


def test_a_delivered_shipment_cannot_be_cancelled(uow, clerk, approve):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    shipment = ship(uow, clerk, fulfilment, ["1"])
    use_cases.transition(uow(), clerk, shipment["id"], "deliver")
    with pytest.raises(TransitionNotAllowed):
        use_cases.transition(uow(), clerk, shipment["id"], "cancel")
    assert queries.get_shipment(uow(), clerk, shipment["id"])["status"] == "delivered"
    assert queries.get_fulfilment(uow(), clerk, fulfilment["id"])["lines"][0]["shipped"] == "1.000"


def test_an_action_takes_no_body(uow, clerk, approve):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    pending = ship(uow, clerk, fulfilment, ["1"], status="pending")
    with pytest.raises(InvalidInput):
        use_cases.transition(uow(), clerk, pending["id"], "ship", {"status": "delivered"})
    assert queries.get_shipment(uow(), clerk, pending["id"])["status"] == "pending"


def test_a_known_carrier_is_named_on_the_shipment(uow, clerk, approve):
    carrier = carriers.create(uow(), clerk, {"name": "顺丰速运"})
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    shipment = ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier["id"], tracking_no="SF123")
    assert (shipment["carrier_id"], shipment["carrier"], shipment["tracking_no"]) == (carrier["id"], "顺丰速运", "SF123")


@pytest.mark.parametrize("inactive", [True, False])
def test_an_unknown_or_inactive_carrier_is_invalid_input(uow, clerk, approve, inactive):
    carrier_id = carriers.create(uow(), clerk, {"name": "停用", "active": False})["id"] if inactive \
        else str(uuid.uuid4())
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    with pytest.raises(InvalidInput) as refused:
        ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier_id)
    assert refused.value.errors == {"carrier_id": ["No such active carrier."]}
    assert queries.list_shipments(uow(), clerk, {})["items"] == []


def test_a_freight_fee_carries_the_orders_currency_unless_another_is_given(uow, clerk, approve):
    fulfilment = fulfilment_of(uow, clerk, approve(clerk, currency="USD"))
    assert ship(uow, clerk, fulfilment, ["1"], freight_fee="12.30")["freight_currency"] == "USD"
    assert ship(uow, clerk, fulfilment, ["1"], freight_fee="5", freight_currency="CNY")["freight_currency"] == "CNY"
    assert ship(uow, clerk, fulfilment, ["1"])["freight_currency"] is None


def test_shipments_are_listed_by_status_and_order(uow, clerk, approve):
    order = approve(clerk)
    fulfilment = fulfilment_of(uow, clerk, order)
    ship(uow, clerk, fulfilment, ["1"], status="pending")
    ship(uow, clerk, fulfilment, ["1"])
    fulfilment_of(uow, clerk, approve(clerk))
    assert len(queries.list_shipments(uow(), clerk, {"order_id": order["order_id"]})["items"]) == 2
    [pending] = queries.list_shipments(uow(), clerk, {"status": "pending"})["items"]
    assert pending["status"] == "pending"
    assert len(queries.list_fulfilments(uow(), clerk, {"status": "open"})["items"]) == 2


def test_a_filter_off_the_list_is_a_bad_request(uow, clerk):
    with pytest.raises(BadRequest):
        queries.list_shipments(uow(), clerk, {"status": "lost"})


def test_the_freight_report_sums_what_left_per_carrier_and_month(uow, clerk, approve):
    carrier = carriers.create(uow(), clerk, {"name": "德邦"})
    fulfilment = fulfilment_of(uow, clerk, approve(clerk, quantities=("10",)))
    ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee="10.10")
    ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee="0.90")
    cancelled = ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee="99")
    use_cases.transition(uow(), clerk, cancelled["id"], "cancel")
    ship(uow, clerk, fulfilment, ["1"], carrier_id=carrier["id"], freight_fee="50", status="pending")
    month = cancelled["created_at"][:7]
    [row] = queries.freight_report(uow(), clerk, {"start": month, "end": month})["items"]
    assert (row["carrier"], row["currency"], row["shipments"]) == ("德邦", "CNY", 2)
    assert Decimal(row["freight"]) == Decimal("11.00")
    assert queries.freight_report(uow(), clerk, {"start": month, "end": month,
                                                 "carrier_id": str(uuid.uuid4())})["items"] == []


def test_the_freight_report_wants_months(uow, clerk):
    with pytest.raises(BadRequest):
        queries.freight_report(uow(), clerk, {"start": "2026-13", "end": "2026-01"})


def test_the_freight_report_months_are_the_branchs(uow, clerk, approve, clock):
    from datetime import datetime, timezone
    fulfilment = fulfilment_of(uow, clerk, approve(clerk))
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))  # 1 April, 07:30 in Beijing
    ship(uow, clerk, fulfilment, ["1"], carrier="顺丰", freight_fee="12.00")
    report = queries.freight_report(uow(), clerk, {"start": "2026-03", "end": "2026-04"})
    assert [row["month"] for row in report["items"]] == ["2026-04"]
