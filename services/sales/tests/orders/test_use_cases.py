"""Orders through their use cases on the sales database alone (no broker, no customers service)."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_sales.orders import queries, use_cases
from crm_sales.catalog import use_cases as catalog

CUSTOMER = {"id": str(uuid.uuid4()), "name": "上海天马贸易有限公司", "value_level": None}


def lookup(customer_id):
    if customer_id != CUSTOMER["id"]:
        raise NotFound("Customer not found")
    return CUSTOMER


@pytest.fixture
def rep(principal_factory):
    return principal_factory(permissions={"orders.write", "orders.read", "products.write", "products.read"},
                             scope="own")


@pytest.fixture
def product(uow, rep):
    return catalog.create_product(uow(), rep, {"code": "P-1", "name": "打印机", "list_price": "1999.50"})


def test_a_draft_order_prices_its_lines_from_the_catalogue(uow, rep, product):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "3"}]}, lookup)
    assert order["status"] == "draft" and order["number"].startswith("SO-HQ-")
    assert Decimal(order["total"]) == Decimal("5998.50")
    assert queries.get(uow(), rep, order["id"])["customer_name"] == CUSTOMER["name"]


def test_an_unseen_customer_is_invalid_input_and_nothing_is_written(uow, rep, product):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, {"customer_id": str(uuid.uuid4()),
                                   "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_another_reps_order_is_not_found(uow, rep, product, principal_factory):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, order["id"])


def test_completing_a_draft_is_refused_naming_what_is_allowed(uow, rep, product):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    with pytest.raises(Conflict):
        use_cases.complete(uow(), rep, order["id"], None)
    assert queries.get(uow(), rep, order["id"])["status"] == "draft"


def test_submitting_asks_for_approval_through_the_outbox(uow, rep, product, emitted):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    assert use_cases.submit(uow(), rep, order["id"], None)["status"] == "submitted"
    names = [name for name, _ in emitted()]
    assert names and all(name.startswith("sales.") for name in names)


# --- approval, life cycle and events (shared fixtures from tests/conftest.py) ---------------------

def _draft(uow, principal, customers, customer, product, quantity="2", **extra):
    return use_cases.create(uow(), principal, {"customer_id": customer["id"], **extra,
                                               "lines": [{"product_id": product["id"], "quantity": quantity}]},
                            customers)


@pytest.fixture
def shop(uow, customers, customer):
    """Sells with the shared rep/approver fixtures: returns a function that drafts an order."""
    def draft(principal, product, **extra):
        return _draft(uow, principal, customers, customer, product, **extra)
    return draft


@pytest.fixture
def printer(uow):
    from crm_sales.catalog import use_cases as catalog
    from crm_common.testing import make_principal
    admin = make_principal(permissions={"products.write"})
    return catalog.create_product(uow(), admin, {"code": "PR-9", "name": "打印机", "list_price": "100.00"})


def test_a_refused_action_names_the_status_and_what_is_allowed(uow, rep, shop, printer):
    from crm_common.statemachine import TransitionNotAllowed
    order = shop(rep, printer)
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.close(uow(), rep, order["id"], None)
    assert refused.value.status == 409
    assert refused.value.errors == {"status": ["draft"], "allowed_actions": ["submit", "cancel"]}


def test_the_approver_of_the_department_approves_and_the_order_approved_event_carries_the_lines(
        uow, rep, approver, shop, printer, emitted):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    approved = use_cases.approve(uow(), approver, order["id"], {"comment": "ok"})
    assert (approved["status"], approved["approved_by"], approved["decision_comment"]) == (
        "approved", approver.user_id, "ok")
    (name, data), = emitted("sales.order_approved")
    assert data["order_id"] == order["id"] and data["total"] == "200.00"
    assert [line["quantity"] for line in data["lines"]] == ["2.000"]
    history = queries.approval_history(uow(), rep, order["id"])
    assert [a["action"] for a in history[0]["actions"]] == ["submit", "approve"]


def test_submitting_asks_the_approvers_of_the_department(uow, rep, shop, printer, emitted):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    (_, asked), = emitted("sales.approval_requested")
    assert (asked["document_id"], asked["audience_permission"], asked["department_path"]) == (
        order["id"], "orders.approve", "/d1/")


def test_nobody_approves_their_own_order(uow, approver, shop, printer):
    from crm_common.errors import Forbidden
    order = shop(approver, printer)
    use_cases.submit(uow(), approver, order["id"], None)
    with pytest.raises(Forbidden):
        use_cases.approve(uow(), approver, order["id"], None)
    assert queries.get(uow(), approver, order["id"])["status"] == "submitted"


def test_a_rep_without_the_approving_permission_is_forbidden(uow, rep, shop, printer):
    from crm_common.errors import Forbidden
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    with pytest.raises(Forbidden):
        use_cases.approve(uow(), rep, order["id"], None)


def test_approving_a_draft_is_refused_and_records_nothing(uow, rep, approver, shop, printer):
    order = shop(rep, printer)
    with pytest.raises(Conflict):
        use_cases.approve(uow(), approver, order["id"], None)
    assert queries.approval_history(uow(), rep, order["id"]) == []


def test_a_rejection_needs_a_comment_and_a_rejected_order_is_edited_and_submitted_again(
        uow, rep, approver, shop, printer, customers, customer):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    with pytest.raises(InvalidInput):
        use_cases.reject(uow(), approver, order["id"], {})
    rejected = use_cases.reject(uow(), approver, order["id"], {"comment": "价格太低"})
    assert (rejected["status"], rejected["decision_comment"]) == ("rejected", "价格太低")
    edited = use_cases.update(uow(), rep, order["id"], {
        "customer_id": customer["id"], "lines": [{"product_id": printer["id"], "quantity": "5"}]}, customers)
    assert edited["total"] == "500.00"
    assert use_cases.submit(uow(), rep, order["id"], None)["status"] == "submitted"
    assert len(queries.approval_history(uow(), rep, order["id"])) == 2


def test_a_submitted_order_cannot_be_edited(uow, rep, shop, printer, customers, customer):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    with pytest.raises(Conflict):
        use_cases.update(uow(), rep, order["id"], {
            "customer_id": customer["id"], "lines": [{"product_id": printer["id"], "quantity": "9"}]}, customers)
    assert queries.get(uow(), rep, order["id"])["total"] == "200.00"


def test_cancelling_a_submitted_order_withdraws_its_approval(uow, rep, shop, printer):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    assert use_cases.cancel(uow(), rep, order["id"], None)["status"] == "cancelled"
    (approval,) = queries.approval_history(uow(), rep, order["id"])
    assert approval["status"] == "withdrawn"


def test_an_approved_order_is_completed_then_closed_and_then_nothing_more(uow, rep, approver, shop, printer):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    use_cases.approve(uow(), approver, order["id"], None)
    assert use_cases.complete(uow(), rep, order["id"], None)["status"] == "completed"
    assert use_cases.close(uow(), rep, order["id"], None)["status"] == "closed"
    with pytest.raises(Conflict):
        use_cases.cancel(uow(), rep, order["id"], None)


def test_closing_tells_logistics_and_finance_why_and_a_later_close_keeps_the_first_reason(
        uow, rep, approver, shop, printer, emitted):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    use_cases.approve(uow(), approver, order["id"], None)
    with pytest.raises(InvalidInput):
        use_cases.close(uow(), rep, order["id"], {"reason": ""})
    closed = use_cases.close(uow(), rep, order["id"], {"reason": "客户撤单"})
    assert (closed["status"], closed["end_reason"]) == ("closed", "客户撤单")
    [(_, data)] = emitted("sales.order_closed")
    assert (data["order_id"], data["reason"]) == (order["id"], "客户撤单")


def test_completing_without_a_reason_names_the_action(uow, rep, approver, shop, printer, emitted):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    use_cases.approve(uow(), approver, order["id"], None)
    use_cases.complete(uow(), rep, order["id"], None)
    assert use_cases.close(uow(), rep, order["id"], {"reason": "晚了"})["end_reason"] == "订单完成"
    assert [data["reason"] for _, data in emitted() if _ in ("sales.order_completed", "sales.order_closed")] == \
        ["订单完成", "订单完成"]


def test_an_action_that_takes_nothing_refuses_a_body(uow, rep, shop, printer):
    order = shop(rep, printer)
    with pytest.raises(InvalidInput):
        use_cases.submit(uow(), rep, order["id"], {"status": "approved"})
    assert queries.get(uow(), rep, order["id"])["status"] == "draft"


def test_a_product_on_two_lines_is_invalid_input(uow, rep, printer, customers, customer):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, {"customer_id": customer["id"], "lines": [
            {"product_id": printer["id"], "quantity": "1"}, {"product_id": printer["id"], "quantity": "2"}]},
            customers)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_a_sample_is_free_numbered_apart_and_counted_in_the_report_once_approved(
        uow, rep, approver, shop, printer):
    sample = shop(rep, printer, order_type="sample")
    assert (sample["total"], sample["number"][:6]) == ("0.00", "SP-HQ-")
    assert queries.sample_report(uow(), rep, {})["items"] == []
    use_cases.submit(uow(), rep, sample["id"], None)
    use_cases.approve(uow(), approver, sample["id"], None)
    (line,) = queries.sample_report(uow(), rep, {})["items"]
    assert (line["product_code"], line["quantity"], line["orders"], line["customers"]) == ("PR-9", "2.000", 1, 1)


def test_orders_are_listed_by_status_and_a_bad_filter_is_a_bad_request(uow, rep, shop, printer):
    from crm_common.errors import BadRequest
    first, second = shop(rep, printer), shop(rep, printer)
    use_cases.submit(uow(), rep, second["id"], None)
    assert [o["id"] for o in queries.list_(uow(), rep, {"status": "draft"})["items"]] == [first["id"]]
    with pytest.raises(BadRequest):
        queries.list_(uow(), rep, {"status": "shipped"})


def test_the_department_head_sees_the_reps_orders(uow, rep, approver, shop, printer):
    order = shop(rep, printer)
    assert queries.get(uow(), approver, order["id"])["owner_id"] == rep.user_id


# --- per-line progress from logistics and finance events ----------------------------------------

@pytest.fixture
def approved_order(uow, rep, approver, shop, printer):
    order = shop(rep, printer)
    use_cases.submit(uow(), rep, order["id"], None)
    return use_cases.approve(uow(), approver, order["id"], None)


def _line(uow, rep, order):
    return queries.get(uow(), rep, order["id"])["lines"][0]


def test_a_shipment_adds_to_the_line_and_a_cancelled_one_takes_it_back(uow, rep, approved_order):
    from crm_sales.orders import handlers
    line_id = approved_order["lines"][0]["id"]
    event = {"order_id": approved_order["id"], "lines": [{"order_line_id": line_id, "quantity": "1.5"},
                                                         {"order_line_id": str(uuid.uuid4()), "quantity": "9"}]}
    with uow() as unit:
        handlers.record_shipment(unit, event)
    assert _line(uow, rep, approved_order)["shipped"] == "1.500"
    with uow() as unit:
        handlers.record_shipment(unit, event, sign=-1)
    assert _line(uow, rep, approved_order)["shipped"] == "0.000"


def test_receipts_fill_the_lines_and_a_reversal_takes_money_back(uow, rep, approved_order):
    from crm_sales.orders import handlers
    with uow() as unit:
        handlers.record_receipt(unit, {"order_id": approved_order["id"], "amount": "150.00"})
    assert _line(uow, rep, approved_order)["received"] == "150.00"
    with uow() as unit:
        handlers.record_receipt(unit, {"order_id": approved_order["id"], "amount": "500.00"})
    assert _line(uow, rep, approved_order)["received"] == "200.00"  # an overpayment is finance's business
    with uow() as unit:
        handlers.record_receipt_reversed(unit, {"order_id": approved_order["id"], "amount": "60.00"})
    assert _line(uow, rep, approved_order)["received"] == "140.00"


def test_an_invoice_adds_to_the_lines_it_bills(uow, rep, approved_order):
    from crm_sales.orders import handlers
    line_id = approved_order["lines"][0]["id"]
    with uow() as unit:
        handlers.record_invoice(unit, {"order_id": approved_order["id"], "amount": "80.00",
                                       "lines": [{"order_line_id": line_id, "amount": "50.00"}]})
    assert _line(uow, rep, approved_order)["invoiced"] == "80.00"


def test_a_red_letter_invoice_takes_back_from_the_lines(uow, rep, approved_order):
    from crm_sales.orders import handlers
    line_id = approved_order["lines"][0]["id"]
    with uow() as unit:
        handlers.record_invoice(unit, {"order_id": approved_order["id"], "amount": "150.00", "lines": []})
        handlers.record_invoice_reversed(unit, {"order_id": approved_order["id"], "amount": "30.00",
                                                "lines": [{"order_line_id": line_id, "amount": "30.00"}]})
    assert _line(uow, rep, approved_order)["invoiced"] == "120.00"
    with uow() as unit:  # of an invoice of the order as a whole
        handlers.record_invoice_reversed(unit, {"order_id": approved_order["id"], "amount": "100.00", "lines": []})
    assert _line(uow, rep, approved_order)["invoiced"] == "20.00"
