"""Returns through their use cases on the sales database alone (fake customers, no broker)."""
import uuid

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput
from crm_sales.orders import handlers, use_cases as orders
from crm_sales.returns import queries, use_cases


@pytest.fixture
def shipped_order(uow, rep, approver, customers, customer, product):
    """An approved order of 5 printers, 3 of them shipped."""
    order = orders.create(uow(), rep, {"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "5"}]}, customers)
    orders.submit(uow(), rep, order["id"], None)
    order = orders.approve(uow(), approver, order["id"], None)
    with uow() as unit:
        handlers.record_shipment(unit, {"order_id": order["id"], "lines": [
            {"order_line_id": order["lines"][0]["id"], "quantity": "3"}]})
    return order


def _ask(uow, principal, order, quantity, line_id=None):
    return use_cases.create(uow(), principal, {"order_id": order["id"], "reason": "破损", "lines": [
        {"order_line_id": line_id or order["lines"][0]["id"], "quantity": quantity}]})


def test_a_return_of_shipped_goods_is_priced_like_its_order_and_waits_for_approval(uow, rep, shipped_order):
    asked = _ask(uow, rep, shipped_order, "2")
    assert (asked["status"], asked["total"], asked["number"][:6]) == ("submitted", "3999.00", "RT-HQ-")
    (approval,) = queries.approval_history(uow(), rep, asked["id"])
    assert approval["status"] == "pending"


def test_an_approved_return_tells_logistics_and_finance(uow, rep, approver, shipped_order, emitted):
    asked = _ask(uow, rep, shipped_order, "1")
    approved = use_cases.approve(uow(), approver, asked["id"], {"comment": "同意"})
    assert (approved["status"], approved["decision_comment"]) == ("approved", "同意")
    (_, data), = emitted("sales.return_approved")
    assert (data["return_id"], data["total"], data["lines"][0]["quantity"]) == (asked["id"], "1999.50", "1.000")


def test_no_more_than_was_shipped_comes_back_counting_other_open_returns(uow, rep, shipped_order):
    _ask(uow, rep, shipped_order, "2")
    with pytest.raises(InvalidInput) as refused:
        _ask(uow, rep, shipped_order, "2")
    assert "At most 1.000" in refused.value.errors["lines"]["0"]["quantity"][0]
    assert len(queries.list_(uow(), rep, {"order_id": shipped_order["id"]})["items"]) == 1


def test_a_rejected_return_frees_its_quantity(uow, rep, approver, shipped_order):
    asked = _ask(uow, rep, shipped_order, "3")
    with pytest.raises(InvalidInput):
        use_cases.reject(uow(), approver, asked["id"], {})
    assert use_cases.reject(uow(), approver, asked["id"], {"comment": "不符合"})["status"] == "rejected"
    assert _ask(uow, rep, shipped_order, "3")["status"] == "submitted"


def test_a_decided_return_is_not_decided_again(uow, rep, approver, shipped_order):
    asked = _ask(uow, rep, shipped_order, "1")
    use_cases.approve(uow(), approver, asked["id"], None)
    with pytest.raises(Conflict):
        use_cases.reject(uow(), approver, asked["id"], {"comment": "too late"})
    assert queries.get(uow(), rep, asked["id"])["status"] == "approved"


def test_the_rep_does_not_approve_returns(uow, rep, shipped_order):
    asked = _ask(uow, rep, shipped_order, "1")
    with pytest.raises(Forbidden):
        use_cases.approve(uow(), rep, asked["id"], None)


def test_nothing_comes_back_against_an_order_not_yet_approved(uow, rep, customers, customer, product):
    draft = orders.create(uow(), rep, {"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, customers)
    with pytest.raises(Conflict):
        _ask(uow, rep, draft, "1")
    assert queries.list_(uow(), rep, {})["items"] == []


def test_a_line_of_another_order_or_an_order_out_of_scope_is_invalid_input(
        uow, rep, principal_factory, shipped_order):
    with pytest.raises(InvalidInput) as refused:
        _ask(uow, rep, shipped_order, "1", line_id=str(uuid.uuid4()))
    assert refused.value.errors == {"lines": {"0": {"order_line_id": ["Not a line of this order."]}}}
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(InvalidInput) as refused:
        _ask(uow, other, shipped_order, "1")
    assert "order_id" in refused.value.errors
    assert queries.list_(uow(), rep, {})["items"] == []
