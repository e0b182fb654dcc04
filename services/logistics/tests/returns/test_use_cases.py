"""Returned goods through their use cases on the logistics database alone."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.returns import handlers, queries, use_cases


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions={"goods_returns.read", "goods_returns.write"}, scope="own")


@pytest.fixture
def approve_return(uow, delivered):
    """What sales.return_approved brings: goods expected back; returns the goods return."""
    def approve(owner, quantities=("2", "1")):
        data = {"return_id": str(uuid.uuid4()), "number": "RT-HQ-2026-000001", "order_id": str(uuid.uuid4()),
                "customer_id": str(uuid.uuid4()), "total": "300.00", "currency": "CNY",
                "owner_id": owner.user_id, "department_path": owner.department_path, "branch": owner.branch,
                "lines": [{"order_line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "quantity": q,
                           "unit_price": "100.00", "amount": "100.00"} for q in quantities]}
        data = delivered("sales.return_approved", data)
        with uow() as unit:
            handlers.open_for_return(unit, data)
        [item] = queries.list_(uow(), owner, {"order_id": data["order_id"]})["items"]
        return item, data
    return approve


def receive(uow, clerk, goods_return, quantities):
    lines = [{"order_line_id": line["order_line_id"], "quantity": q}
             for line, q in zip(goods_return["lines"], quantities, strict=False) if q]
    return use_cases.receive(uow(), clerk, goods_return["id"], {"lines": lines})


def test_an_approved_return_is_expected_line_by_line(uow, clerk, approve_return):
    goods_return, data = approve_return(clerk)
    assert goods_return["status"] == "expected" and goods_return["return_id"] == data["return_id"]
    assert [(line["expected"], line["received"]) for line in goods_return["lines"]] == [("2.000", "0.000"),
                                                                                       ("1.000", "0.000")]


def test_the_same_return_approved_twice_is_expected_once(uow, clerk, approve_return):
    _, data = approve_return(clerk)
    with uow() as unit:
        handlers.open_for_return(unit, data)
    assert len(queries.list_(uow(), clerk, {})["items"]) == 1


def test_receiving_part_then_the_rest(uow, clerk, approve_return):
    goods_return, _ = approve_return(clerk)
    partial = receive(uow, clerk, goods_return, ["1.5"])
    assert partial["status"] == "partially_received" and partial["lines"][0]["received"] == "1.500"
    done = receive(uow, clerk, goods_return, ["0.5", "1"])
    assert done["status"] == "received"
    assert queries.list_(uow(), clerk, {"status": "received"})["items"][0]["id"] == goods_return["id"]


def test_receiving_more_than_expected_is_invalid_and_nothing_is_written(uow, clerk, approve_return):
    goods_return, _ = approve_return(clerk)
    with pytest.raises(InvalidInput) as refused:
        receive(uow, clerk, goods_return, ["1", "1.001"])
    assert list(refused.value.errors["lines"][1]) == ["quantity"]
    after = queries.get(uow(), clerk, goods_return["id"])
    assert after["status"] == "expected" and after["lines"][0]["received"] == "0.000"


def test_a_line_not_on_the_return_is_invalid_input(uow, clerk, approve_return):
    goods_return, _ = approve_return(clerk)
    with pytest.raises(InvalidInput) as refused:
        use_cases.receive(uow(), clerk, goods_return["id"],
                          {"lines": [{"order_line_id": str(uuid.uuid4()), "quantity": "1"}]})
    assert refused.value.errors == {"lines": {0: {"order_line_id": ["Not a line of this return."]}}}


def test_a_fully_received_return_is_a_409(uow, clerk, approve_return):
    goods_return, _ = approve_return(clerk, quantities=("1",))
    receive(uow, clerk, goods_return, ["1"])
    with pytest.raises(TransitionNotAllowed) as refused:
        receive(uow, clerk, goods_return, ["1"])
    assert refused.value.errors == {"status": ["received"], "allowed_actions": []}


def test_another_owners_return_is_not_found(uow, clerk, approve_return, principal_factory):
    goods_return, _ = approve_return(clerk)
    other = principal_factory(permissions=clerk.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, goods_return["id"])
    with pytest.raises(NotFound):
        receive(uow, other, goods_return, ["1"])
    assert queries.get(uow(), clerk, goods_return["id"])["status"] == "expected"


def test_receiving_needs_the_write_permission(uow, clerk, approve_return, principal_factory):
    goods_return, _ = approve_return(clerk)
    with pytest.raises(Forbidden):
        receive(uow, principal_factory(permissions={"goods_returns.read"}, scope="all"), goods_return, ["1"])


def test_an_empty_receipt_is_invalid_input(uow, clerk, approve_return):
    goods_return, _ = approve_return(clerk)
    with pytest.raises(InvalidInput):
        use_cases.receive(uow(), clerk, goods_return["id"], {"lines": []})
