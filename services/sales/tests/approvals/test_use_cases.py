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


# --- the full engine (issue 17): people, kinds, 会签, withdrawal, restart, finance documents ------

@pytest.fixture
def people(uow, principal_factory):
    """clerk → mid → top, synced as the gateway sends them; clerk submits."""
    gateway = principal_factory(permissions={"admin.users"})
    ids = {name: str(uuid.uuid4()) for name in ("clerk", "mid", "top", "a", "b")}
    use_cases.sync_people(uow(), gateway, {"people": [
        {"user_id": ids["clerk"], "branch": "HQ", "manager_id": ids["mid"], "role_ids": [], "active": True},
        {"user_id": ids["mid"], "branch": "HQ", "manager_id": ids["top"], "role_ids": [], "active": True},
        {"user_id": ids["top"], "branch": "HQ", "manager_id": None, "role_ids": [], "active": True},
        *({"user_id": ids[n], "branch": "HQ", "role_ids": [], "active": True} for n in ("a", "b"))]})
    ids["principal"] = lambda name, scope="branch": principal_factory(user_id=ids[name], permissions=SALES | {
        "orders.approve"}, scope=scope)
    return ids


SALES = {"orders.read", "orders.write", "customers.read", "products.read"}


@pytest.fixture
def clerk_order(uow, people, customers, customer, product):
    clerk = people["principal"]("clerk")
    return orders.create(uow(), clerk, {"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}, customers)


def test_people_sync_is_whole_rows_and_needs_the_gateways_permission(uow, people, rep, principal_factory):
    gateway = principal_factory(permissions={"admin.users"})
    with pytest.raises(Forbidden):
        use_cases.sync_people(uow(), rep, {"people": []})
    use_cases.sync_people(uow(), gateway, {"people": [{"user_id": people["clerk"], "branch": "HQ",
                                                       "manager_id": people["top"], "active": True}]})
    with uow() as unit:
        org = queries.org_for(unit.session, people["clerk"], "HQ", [{"approver": {"kind": "superior", "level": 2}}])
    assert org.superiors(people["clerk"], 2) == [people["top"]]


def test_superiors_from_the_synced_chart_then_countersign(uow, people, flow_admin, clerk_order, emitted):
    use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "逐级", "steps": [
        {"name": "上级", "approver": {"kind": "superiors", "up_to": 2}},
        {"name": "会签", "approver": {"kind": "users", "user_ids": [people["a"], people["b"]], "mode": "all"}}]})
    orders.submit(uow(), people["principal"]("clerk"), clerk_order["id"], {})
    asked = [data["recipient_user_id"] for _, data in emitted("sales.approval_requested")]
    assert asked == [people["mid"]]
    for name in ("mid", "top", "a"):
        assert orders.approve(uow(), people["principal"](name), clerk_order["id"], {})["status"] == "submitted"
    with pytest.raises(Forbidden):  # approved already: the stage waits for b alone
        orders.approve(uow(), people["principal"]("a"), clerk_order["id"], {})
    assert orders.approve(uow(), people["principal"]("b"), clerk_order["id"], {})["status"] == "approved"
    assert [data["recipient_user_id"] for _, data in emitted("sales.approval_requested")][1:] == [
        people["top"], people["a"], people["b"]]


def test_the_submitter_withdraws_and_a_rejection_restarts_where_the_flow_says(uow, people, flow_admin, clerk_order,
                                                                            emitted):
    flow = use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "两步", "restart": "rejected_step",
                                                     "steps": [{"name": "a", "approver": {"user_id": people["a"]}},
                                                               {"name": "b", "approver": {"user_id": people["b"]}}]})
    clerk = people["principal"]("clerk")
    orders.submit(uow(), clerk, clerk_order["id"], {})
    with pytest.raises(Forbidden):
        orders.withdraw(uow(), people["principal"]("a"), clerk_order["id"])
    assert orders.withdraw(uow(), clerk, clerk_order["id"])["status"] == "draft"
    assert [d["withdrawn_by"] for _, d in emitted("sales.approval_withdrawn")] == [people["clerk"]]
    with pytest.raises(Conflict):
        orders.withdraw(uow(), clerk, clerk_order["id"])
    orders.submit(uow(), clerk, clerk_order["id"], {})
    orders.approve(uow(), people["principal"]("a"), clerk_order["id"], {})
    orders.reject(uow(), people["principal"]("b"), clerk_order["id"], {"comment": "再议"})
    orders.submit(uow(), clerk, clerk_order["id"], {})
    with uow() as unit:
        last = queries.history(unit.session, "order", clerk_order["id"])[-1]
        assert (last.current_step, last.current_user_ids) == (1, [people["b"]])
    use_cases.update_flow(uow(), flow_admin, flow["id"], {"restart": "first"})
    orders.reject(uow(), people["principal"]("b"), clerk_order["id"], {"comment": "还是不行"})
    orders.submit(uow(), clerk, clerk_order["id"], {})
    with uow() as unit:
        assert queries.history(unit.session, "order", clerk_order["id"])[-1].current_user_ids == [people["a"]]


def test_a_flow_change_and_retirement_tell_finance(uow, flow_admin, emitted):
    flow = use_cases.create_flow(uow(), flow_admin, {"document_type": "invoice", "name": "发票", "steps": [
        {"name": "财务", "approver": {"kind": "role", "role_id": str(uuid.uuid4())}}]})
    use_cases.retire_flow(uow(), flow_admin, flow["id"])
    assert [(d["document_type"], d["configured"]) for _, d in emitted("sales.approval_flow_changed")] == [
        ("invoice", True), ("invoice", False)]
    with pytest.raises(Conflict):
        use_cases.retire_flow(uow(), flow_admin, flow["id"])
    with pytest.raises(InvalidInput):
        use_cases.create_flow(uow(), flow_admin, {"document_type": "invoice", "name": "x", "no_approver": "admin",
                                                  "steps": [{"name": "s", "approver": {"kind": "superior"}}]})


def test_a_finance_document_opens_one_pending_approval_and_is_decided_on_the_desk(uow, people, flow_admin, emitted):
    use_cases.create_flow(uow(), flow_admin, {"document_type": "receipt", "name": "收款", "steps": [
        {"name": "上级", "approver": {"kind": "superior"}}]})
    requested = {"document_type": "receipt", "document_id": str(uuid.uuid4()), "document_number": "RC-HQ-1",
                 "submitted_by": people["clerk"], "submitter_department_path": "/d1/", "amount": "50.00",
                 "currency": "CNY", "customer_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()),
                 "summary": "cash 50.00 CNY", "owner_id": people["clerk"], "department_path": "/d1/", "branch": "HQ"}
    for _ in range(2):
        with uow() as unit:
            handlers.open_finance_approval(unit, requested)
    (waiting,) = queries.pending_for_me(uow(), people["principal"]("mid"), {"document_type": "receipt"})["items"]
    with pytest.raises(Forbidden):
        use_cases.decide_approval(uow(), people["principal"]("top"), waiting["id"], "approve", {})
    decided = use_cases.decide_approval(uow(), people["principal"]("mid"), waiting["id"], "approve", {})
    assert decided["status"] == "approved"
    (_, told), = emitted("sales.approval_decided")
    assert (told["document_type"], told["document_id"], told["outcome"]) == ("receipt", requested["document_id"],
                                                                               "approved")


def test_another_services_document_is_its_waiting_and_past_approvers_to_read_and_nobody_elses(
        uow, people, flow_admin, order, rep, approver):
    """queries.approves: what the customers service and finance ask about a document outside the
    caller's scope (crm_common.approvers)."""
    use_cases.create_flow(uow(), flow_admin, {"document_type": "receipt", "name": "收款", "steps": [
        {"name": "上级", "approver": {"kind": "superior"}}, {"name": "再上级", "approver": {"kind": "superior",
                                                                                           "level": 2}}]})
    receipt_id = str(uuid.uuid4())
    with uow() as unit:
        handlers.open_finance_approval(unit, {
            "document_type": "receipt", "document_id": receipt_id, "document_number": "RC-HQ-2",
            "submitted_by": people["clerk"], "submitter_department_path": "/d1/", "amount": "50.00",
            "currency": "CNY", "customer_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "summary": "cash",
            "owner_id": people["clerk"], "department_path": "/d1/", "branch": "HQ"})
    mid, top = people["principal"]("mid"), people["principal"]("top")
    approves = lambda who, document_type="receipt", document_id=receipt_id: queries.approves(  # noqa: E731
        uow(), who, document_type, document_id)
    assert (approves(mid), approves(top)) == (True, False)  # the second stage is not yet top's
    assert not approves(mid, "invoice") and not approves(mid, document_id=str(uuid.uuid4()))
    assert not approves(mid, document_id="nope")
    (waiting,) = queries.pending_for_me(uow(), mid, {"document_type": "receipt"})["items"]
    use_cases.decide_approval(uow(), mid, waiting["id"], "approve", {})
    assert (approves(mid), approves(top)) == (True, True)  # mid decided a stage, top's waits
    # sales' own documents are read through their own routes' rule, never through this question
    orders.submit(uow(), rep, order["id"], None)
    assert queries.pending_for_me(uow(), approver, {"document_type": "order"})["items"]
    assert not approves(approver, "order", order["id"])


def test_the_preview_shows_who_would_approve_a_document_by_its_id(uow, people, flow_admin, clerk_order):
    use_cases.create_flow(uow(), flow_admin, {"document_type": "order", "name": "预览", "steps": [
        {"name": "二级", "approver": {"kind": "superior", "level": 2}},
        {"name": "大单", "conditions": {"min_amount": "99999999.00"}, "approver": {"user_id": people["a"]}}]})
    shown = use_cases.preview(uow(), people["principal"]("clerk"), {"document_type": "order",
                                                                   "document_id": clerk_order["id"]})
    assert [(s["step"], s["user_ids"]) for s in shown["stages"]] == [(1, [people["top"]])]
    with pytest.raises(NotFound):  # someone else's order, out of their scope
        use_cases.preview(uow(), people["principal"]("a", scope="own"), {"document_type": "order",
                                                                         "document_id": clerk_order["id"]})
