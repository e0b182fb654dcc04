"""The approval engine through its use cases on the sales database alone (fake customers, no broker)."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_sales.approvals import handlers, queries, use_cases
from crm_sales.orders import queries as orders_queries, use_cases as orders


@pytest.fixture
def flow_admin(principal_factory):
    return principal_factory(permissions={"approval_flows.read", "approval_flows.write"})


@pytest.fixture
def order(uow, rep, customers, customer, product):
    return orders.create(uow(), rep, {"customer_id": customer["id"],
                                      "lines": [{"product_id": product["id"], "quantity": "1"}]}, customers)


def _two_steps(uow, flow_admin, **conditions):
    return use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "订单审批", "steps": [
        {"name": "主管", "approver": {"permission": "orders.approve", "target": "document"}},
        {"name": "总经理", "conditions": conditions, "approver": {"permission": "orders.approve",
                                                                  "target": "parent_department"}}]})


def test_a_flow_is_configured_once_per_document_type_and_versioned(uow, flow_admin):
    flow = _two_steps(uow, flow_admin)
    assert (flow["version"], [s["name"] for s in flow["steps"]]) == (1, ["主管", "总经理"])
    with pytest.raises(Conflict):
        _two_steps(uow, flow_admin)
    updated = use_cases.update_flow(uow(), flow_admin, flow["id"], {"allow_self_approval": True})
    assert (updated["version"], updated["allow_self_approval"]) == (2, True)
    assert queries.get_flow(uow(), flow_admin, flow["id"])["version"] == 2
    assert [f["id"] for f in queries.list_flows(uow(), flow_admin, {"document_type": "order"})["items"]] == [flow["id"]]


def test_a_flow_step_names_a_permission_or_a_user_not_both(uow, flow_admin):
    with pytest.raises(InvalidInput):
        use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "x", "steps": [
            {"name": "s", "approver": {"permission": "orders.approve", "user_id": str(uuid.uuid4())}}]})
    assert queries.list_flows(uow(), flow_admin, {})["items"] == []


def test_configuring_flows_needs_its_permission_and_an_unknown_flow_is_not_found(uow, rep, flow_admin):
    with pytest.raises(Forbidden):
        use_cases.create_flow(uow(), rep, {"document_type": "order", "name": "x", "steps": []})
    with pytest.raises(NotFound):
        queries.get_flow(uow(), flow_admin, str(uuid.uuid4()))


def test_the_approval_desk_lists_what_the_caller_may_decide(uow, rep, approver, order):
    orders.submit(uow(), rep, order["id"], None)
    (waiting,) = queries.pending_for_me(uow(), approver, {})["items"]
    assert (waiting["document_id"], waiting["status"]) == (order["id"], "pending")
    assert queries.pending_for_me(uow(), rep, {})["items"] == []
    assert queries.get_instance(uow(), approver, waiting["id"])["actions"][0]["action"] == "submit"


def test_an_approval_is_hidden_from_who_neither_sees_the_document_nor_decides_it(uow, rep, principal_factory, order):
    orders.submit(uow(), rep, order["id"], None)
    (approval,) = orders_queries.approval_history(uow(), rep, order["id"])
    stranger = principal_factory(permissions={"orders.read"}, scope="own")
    with pytest.raises(NotFound):
        queries.get_instance(uow(), stranger, approval["id"])


def test_two_steps_take_two_different_approvers(uow, rep, approver, principal_factory, flow_admin, order):
    _two_steps(uow, flow_admin)
    orders.submit(uow(), rep, order["id"], None)
    assert orders.approve(uow(), approver, order["id"], {"step": 1})["status"] == "submitted"
    with pytest.raises(Conflict, match=r"the document is at step 2 of 2 \('总经理'\)"):
        orders.approve(uow(), approver, order["id"], {"step": 1})
    # the second step belongs to the department above; the refusal names it
    with pytest.raises(Forbidden, match=r"step 2 of 2"):
        orders.approve(uow(), approver, order["id"], {"step": 2})
    director = principal_factory(permissions={"orders.approve", "orders.read"}, scope="subtree", department_path="/")
    assert orders.approve(uow(), director, order["id"], {"step": 2})["status"] == "approved"


def test_one_person_approves_one_step_of_a_document_at_most(uow, rep, principal_factory, flow_admin, order):
    _two_steps(uow, flow_admin)
    boss = principal_factory(permissions={"orders.approve", "orders.read"}, scope="all", department_path="/")
    orders.submit(uow(), rep, order["id"], None)
    orders.approve(uow(), boss, order["id"], None)
    with pytest.raises(Conflict, match="already approved"):
        orders.approve(uow(), boss, order["id"], None)


def test_a_step_whose_conditions_do_not_hold_is_skipped(uow, rep, approver, flow_admin, order, emitted):
    _two_steps(uow, flow_admin, min_amount="10000.00")
    orders.submit(uow(), rep, order["id"], None)
    assert orders.approve(uow(), approver, order["id"], None)["status"] == "approved"
    (_, decided), = emitted("sales.approval_decided")
    assert (decided["document_id"], decided["outcome"], decided["decided_by"]) == (
        order["id"], "approved", approver.user_id)


def test_a_flow_no_step_of_which_applies_approves_on_submit(uow, rep, flow_admin, order, emitted):
    use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "大单", "steps": [
        {"name": "大单", "conditions": {"min_amount": "10000.00"},
         "approver": {"permission": "orders.approve", "target": "document"}}]})
    assert orders.submit(uow(), rep, order["id"], None)["status"] == "approved"
    assert [name for name, _ in emitted("sales.order_approved")] == ["sales.order_approved"]


@pytest.fixture
def extension_request(customer, rep):
    return {"request_id": str(uuid.uuid4()), "requested_by": rep.user_id, "owner_id": rep.user_id,
            "department_path": "/d1/", "branch": "HQ", "customer_id": customer["id"],
            "customer_name": customer["name"], "customer_level": "A", "days": 30, "reason": "在谈大单"}


def test_a_pool_extension_is_opened_once_however_often_it_is_sent(uow, extension_request):
    for _ in range(2):
        with uow() as unit:
            handlers.open_extension_approval(unit, extension_request)
    with uow() as unit:
        assert len(queries.history(unit.session, queries.EXTENSION, extension_request["request_id"])) == 1


def test_a_pool_extension_is_decided_by_who_may_approve_extensions(
        uow, principal_factory, extension_request, emitted):
    with uow() as unit:
        handlers.open_extension_approval(unit, extension_request)
    manager = principal_factory(permissions={"customers.approve_extension", "customers.read"}, scope="department")
    decided = use_cases.approve_extension(uow(), manager, extension_request["request_id"], {"comment": "同意"})
    assert (decided["status"], decided["document_type"]) == ("approved", "pool_extension")
    (_, data), = emitted("sales.approval_decided")
    assert (data["document_id"], data["outcome"]) == (extension_request["request_id"], "approved")
    assert [i["status"] for i in queries.extension_history(uow(), manager, extension_request["request_id"])] == [
        "approved"]


def test_an_extension_out_of_sight_is_not_found(uow, principal_factory, extension_request):
    with uow() as unit:
        handlers.open_extension_approval(unit, extension_request)
    elsewhere = principal_factory(permissions={"customers.approve_extension", "customers.read"}, scope="department",
                                  department_path="/d2/")
    for request_id in (extension_request["request_id"], str(uuid.uuid4()), "nope"):
        with pytest.raises(NotFound):
            use_cases.reject_extension(uow(), elsewhere, request_id, {"comment": "no"})
    with pytest.raises(NotFound):
        queries.extension_history(uow(), elsewhere, extension_request["request_id"])


def test_an_expense_waits_for_an_expense_approver_other_than_who_recorded_it(
        uow, principal_factory, customer, rep, emitted):
    from datetime import date
    from decimal import Decimal
    recorded = {"expense_id": str(uuid.uuid4()), "customer_id": customer["id"], "category": "travel",
                "amount": Decimal("88.00"), "currency": "CNY", "spent_on": date(2026, 11, 20),
                "recorded_by": rep.user_id, "owner_id": rep.user_id, "department_path": "/d1/", "branch": "HQ"}
    for _ in range(2):  # once per expense, however often it is sent
        with uow() as unit:
            handlers.open_expense_approval(unit, recorded)
    (_, asked), = emitted("sales.approval_requested")
    assert (asked["document_type"], asked["amount"], asked["audience_permission"]) == (
        "expense_reimbursement", "88.00", "expenses.approve")
    spender = principal_factory(permissions={"expenses.approve", "customers.read"}, scope="department",
                                user_id=rep.user_id)
    with pytest.raises(Forbidden):
        use_cases.approve_expense(uow(), spender, recorded["expense_id"], {})
    boss = principal_factory(permissions={"expenses.approve", "customers.read"}, scope="department")
    assert use_cases.approve_expense(uow(), boss, recorded["expense_id"], {"comment": "同意"})["status"] == "approved"
    (_, decided), = emitted("sales.approval_decided")
    assert (decided["document_type"], decided["document_id"], decided["outcome"]) == (
        "expense_reimbursement", recorded["expense_id"], "approved")


def test_a_discount_beyond_the_reps_limit_adds_the_discount_flows_steps(
        uow, rep, approver, customers, customer, product):
    from crm_sales.catalog import use_cases as catalog
    catalog.create_price_rule(uow(), rep, {"name": "rep limit", "kind": "position", "discount_percent": "5",
                                           "permission": "orders.write"})
    generous = orders.create(uow(), rep, {"customer_id": customer["id"], "lines": [
        {"product_id": product["id"], "quantity": "1", "discount_percent": "12"}]}, customers)
    assert (generous["discount_over_limit"], Decimal(generous["max_discount_percent"])) == (True, Decimal("12"))
    orders.submit(uow(), rep, generous["id"], None)
    (approval,) = orders_queries.approval_history(uow(), rep, generous["id"])
    assert [step["name"] for step in approval["steps"]] == ["Approval", "Discount approval"]
    assert approval["facts"]["discount_over_limit"] is True
