"""After-sales records and complaints through their use cases."""
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_customers.aftersales import queries, use_cases

RECORDS = {
    "service_records": {"kind": "上门维修", "occurred_at": "2026-11-02T09:00:00+08:00", "summary": "更换硒鼓"},
    "care_records": {"kind": "gift", "occurred_on": "2026-09-10", "notes": "中秋月饼"},
    "expenses": {"category": "entertainment", "amount": "388.50", "spent_on": "2026-11-20"},
    "important_dates": {"label": "合作周年", "date": "2019-12-05"},
}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_each_kind_of_record_is_added_and_listed(uow, rep, customer, kind):
    record = use_cases.create_record(uow(), rep, kind, customer["id"], RECORDS[kind])
    assert record["customer_id"] == customer["id"]
    assert [r["id"] for r in queries.list_records(uow(), rep, kind, customer["id"], {})["items"]] == [record["id"]]


def test_an_expense_is_announced_with_its_exact_amount(uow, rep, customer, emitted):
    expense = use_cases.create_record(uow(), rep, "expenses", customer["id"], RECORDS["expenses"])
    assert (expense["amount"], expense["currency"]) == ("388.50", "CNY")
    [(name, data)] = emitted("customers.expense_recorded")
    assert Decimal(data["amount"]) == Decimal("388.50") and data["owner_id"] == rep.user_id


@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_only_an_approved_expense_goes_to_finance_for_whoever_recorded_it(uow, rep, customer, emitted,
                                                                          principal_factory, outcome):
    import uuid
    colleague = principal_factory(permissions=rep.permissions, scope="department")
    expense = use_cases.create_record(uow(), colleague, "expenses", customer["id"], RECORDS["expenses"])
    assert expense["status"] == "pending"
    decision = {"approval_id": str(uuid.uuid4()), "document_type": "expense_reimbursement",
                "document_id": expense["id"], "document_number": "EX-HQ-2026-000001", "outcome": outcome,
                "comment": "审", "decided_by": str(uuid.uuid4())}
    for _ in range(2):  # a second decision of one expense changes nothing
        with uow() as unit:
            use_cases.apply_expense_decision(unit, decision)
    [listed] = queries.list_records(uow(), rep, "expenses", customer["id"], {})["items"]
    assert (listed["status"], listed["decision_comment"]) == (outcome, "审")
    approved = emitted("customers.expense_approved")
    if outcome == "approved":
        [(_, data)] = approved
        assert (data["recorded_by"], data["owner_id"]) == (colleague.user_id, rep.user_id)
    else:
        assert approved == []


def test_an_amount_finer_than_a_cent_is_invalid_and_nothing_is_written(uow, rep, customer, emitted):
    for amount in ("1.005", "-3", "abc"):
        with pytest.raises(InvalidInput):
            use_cases.create_record(uow(), rep, "expenses", customer["id"], {**RECORDS["expenses"], "amount": amount})
    assert queries.list_records(uow(), rep, "expenses", customer["id"], {})["items"] == []
    assert emitted() == []


def test_records_of_anothers_customer_are_not_found(uow, other_rep, customer):
    with pytest.raises(NotFound):
        use_cases.create_record(uow(), other_rep, "care_records", customer["id"], RECORDS["care_records"])
    with pytest.raises(NotFound):
        queries.list_records(uow(), other_rep, "care_records", customer["id"], {})


@pytest.fixture
def complaint(uow, rep, customer):
    return use_cases.create_complaint(uow(), rep, customer["id"], {"subject": "送货延误"})


def test_a_complaint_is_handled_from_open_to_closed(uow, rep, user_of, complaint):
    assert complaint["number"].startswith("CP-HQ-") and complaint["status"] == "open"
    act = lambda body, handler=None: use_cases.act_on_complaint(uow(), rep, complaint["id"], body, handler)  # noqa: E731
    assert act({"action": "assign", "handler_id": rep.user_id}, user_of(rep))["handler_id"] == rep.user_id
    assert act({"action": "start"})["status"] == "handling"
    assert act({"action": "resolve", "result": "已补发"})["status"] == "resolved"
    closed = act({"action": "close", "satisfaction": 4})
    assert (closed["status"], closed["satisfaction"], closed["result"]) == ("closed", 4, "已补发")


def test_a_wrong_step_is_refused_naming_what_is_allowed(uow, rep, complaint):
    with pytest.raises(Conflict) as refused:
        use_cases.act_on_complaint(uow(), rep, complaint["id"], {"action": "close", "satisfaction": 5})
    assert refused.value.errors == {"status": ["open"], "allowed_actions": ["assign"]}
    assert queries.list_complaints(uow(), rep, complaint["customer_id"], {})["items"][0]["status"] == "open"


def test_a_step_missing_what_it_needs_is_invalid_and_changes_nothing(uow, rep, other_rep, user_of, complaint):
    act = lambda body, handler=None: use_cases.act_on_complaint(uow(), rep, complaint["id"], body, handler)  # noqa: E731
    with pytest.raises(InvalidInput):
        act({"action": "assign", "handler_id": rep.user_id})  # the gateway resolved nobody
    with pytest.raises(InvalidInput):
        act({"action": "assign", "handler_id": other_rep.user_id}, user_of(other_rep))  # outside an own scope
    with pytest.raises(InvalidInput):
        act({"action": "assign", "handler_id": rep.user_id}, user_of(rep, active=False))
    with pytest.raises(InvalidInput):
        act({"action": "escalate"})
    assert queries.list_complaints(uow(), rep, complaint["customer_id"], {})["items"][0]["handler_id"] is None
    act({"action": "assign", "handler_id": rep.user_id}, user_of(rep))
    act({"action": "start"})
    with pytest.raises(InvalidInput):
        act({"action": "resolve"})
    assert queries.list_complaints(uow(), rep, complaint["customer_id"], {})["items"][0]["status"] == "handling"


def test_complaints_of_anothers_customer_are_not_found(uow, other_rep, complaint):
    with pytest.raises(NotFound):
        use_cases.act_on_complaint(uow(), other_rep, complaint["id"], {"action": "start"})
    with pytest.raises(NotFound):
        queries.list_complaints(uow(), other_rep, complaint["customer_id"], {})
    with pytest.raises(NotFound):
        use_cases.act_on_complaint(uow(), other_rep, "nope", {"action": "start"})
