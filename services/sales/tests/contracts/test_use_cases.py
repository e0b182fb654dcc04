"""Contracts through their use cases on the sales database alone (fake customers, no broker)."""
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from crm_common import branch_time
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_sales.contracts import queries, use_cases

TODAY = branch_time.current_day()  # the branch's: from 16:00 UTC on, Beijing is a day ahead


def _body(customer, rep, **extra):
    return {"customer_id": customer["id"], "kind": "service", "title": "年度维保", "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=365)).isoformat(), "amount": "12000.00",
            "commission_split": [{"user_id": rep.user_id, "percent": "100"}], **extra}


@pytest.fixture
def draft(uow, rep, customers, customer):
    return use_cases.create(uow(), rep, _body(customer, rep), customers)


@pytest.fixture
def active(uow, rep, approver, draft):
    use_cases.submit(uow(), rep, draft["id"], None)
    return use_cases.approve(uow(), approver, draft["id"], None)


def test_a_contract_is_drafted_submitted_and_approved_into_force(uow, rep, draft, active):
    assert (draft["status"], draft["number"][:6]) == ("draft", "CT-HQ-")
    assert draft["commission_split"] == [{"user_id": rep.user_id, "percent": "100.00"}]
    assert active["status"] == "active"
    assert [a["status"] for a in queries.approval_history(uow(), rep, draft["id"])] == ["approved"]


def test_a_rejected_contract_is_edited_and_submitted_again(uow, rep, approver, customers, customer, draft):
    use_cases.submit(uow(), rep, draft["id"], None)
    assert use_cases.reject(uow(), approver, draft["id"], {"comment": "金额有误"})["status"] == "rejected"
    edited = use_cases.update(uow(), rep, draft["id"], _body(customer, rep, amount="11000.00"), customers)
    assert edited["amount"] == "11000.00"
    assert use_cases.submit(uow(), rep, draft["id"], None)["status"] == "submitted"


def test_an_active_contract_is_changed_only_by_a_change_order(uow, rep, customers, customer, active):
    with pytest.raises(Conflict, match="change order"):
        use_cases.update(uow(), rep, active["id"], _body(customer, rep, amount="1.00"), customers)
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.submit(uow(), rep, active["id"], None)
    assert refused.value.errors["allowed_actions"] == ["terminate", "close"]


@pytest.mark.parametrize("second", ["30", "40 same rep"])
def test_commission_shares_add_up_to_a_hundred_once_per_rep(uow, rep, customers, customer, second):
    percent, *same = second.split(" ", 1)
    split = [{"user_id": rep.user_id, "percent": "60"},
             {"user_id": rep.user_id if same else str(uuid.uuid4()), "percent": percent}]
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), rep, _body(customer, rep, commission_split=split), customers)
    assert "commission_split" in refused.value.errors
    assert queries.list_(uow(), rep, {})["items"] == []


def test_a_change_order_waits_for_its_approval_then_applies(uow, rep, approver, active):
    pending = use_cases.change(uow(), rep, active["id"], {"description": "加项", "amount": "15000.00"})
    assert pending["amount"] == "12000.00" and pending["changes"][0]["status"] == "pending"
    change_id = pending["changes"][0]["id"]
    applied = use_cases.approve_change(uow(), approver, change_id, None)
    assert applied["amount"] == "15000.00" and applied["changes"][0]["status"] == "applied"
    assert [a["status"] for a in queries.change_approval_history(uow(), rep, change_id)] == ["approved"]
    with pytest.raises(TransitionNotAllowed):
        use_cases.reject_change(uow(), approver, change_id, {"comment": "late"})


def test_a_rejected_change_order_changes_nothing(uow, rep, approver, active):
    pending = use_cases.change(uow(), rep, active["id"], {"description": "延期",
                                                          "end_date": (TODAY + timedelta(days=400)).isoformat()})
    rejected = use_cases.reject_change(uow(), approver, pending["changes"][0]["id"], {"comment": "不同意"})
    assert rejected["end_date"] == active["end_date"] and rejected["changes"][0]["status"] == "rejected"


def test_one_pending_change_at_a_time_and_none_on_a_draft(uow, rep, draft, active):
    use_cases.change(uow(), rep, active["id"], {"description": "a", "amount": "1.00"})
    with pytest.raises(Conflict, match="already has"):
        use_cases.change(uow(), rep, active["id"], {"description": "b", "amount": "2.00"})
    with pytest.raises(Conflict, match="Decide"):
        use_cases.close(uow(), rep, active["id"], {"reason": "done"})
    assert len(queries.get(uow(), rep, active["id"])["changes"]) == 1


def test_a_change_order_must_change_something_sensible(uow, rep, active):
    with pytest.raises(InvalidInput):
        use_cases.change(uow(), rep, active["id"], {"description": "nothing"})
    with pytest.raises(InvalidInput):
        use_cases.change(uow(), rep, active["id"], {"description": "before start",
                                                    "end_date": (TODAY - timedelta(days=1)).isoformat()})
    assert queries.get(uow(), rep, active["id"])["changes"] == []


def test_a_termination_is_approved_then_the_contract_is_closed(uow, rep, approver, active):
    pending = use_cases.terminate(uow(), rep, active["id"], {"reason": "客户破产"})
    terminated = use_cases.approve_change(uow(), approver, pending["changes"][0]["id"], None)
    assert (terminated["status"], terminated["end_reason"]) == ("terminated", "客户破产")
    closed = use_cases.close(uow(), rep, active["id"], {"reason": "结清"})
    assert closed["status"] == "closed" and [c["kind"] for c in closed["changes"]] == ["terminate", "close"]
    with pytest.raises(TransitionNotAllowed):
        use_cases.close(uow(), rep, active["id"], {"reason": "again"})


def test_a_renewal_is_a_new_draft_that_follows_on(uow, rep, draft, active):
    with pytest.raises(InvalidInput):
        use_cases.renew(uow(), rep, active["id"], {"end_date": active["end_date"]})
    renewal = use_cases.renew(uow(), rep, active["id"], {
        "end_date": (date.fromisoformat(active["end_date"]) + timedelta(days=365)).isoformat()})
    assert (renewal["status"], renewal["renewal_of"]) == ("draft", active["id"])
    assert renewal["start_date"] == (date.fromisoformat(active["end_date"]) + timedelta(days=1)).isoformat()
    with pytest.raises(Conflict):
        use_cases.renew(uow(), rep, renewal["id"], {"end_date": "2099-01-01"})


def test_expiry_reminders_go_out_once_per_end_date(uow, rep, customers, customer, approver, emitted):
    soon = use_cases.create(uow(), rep, _body(customer, rep, end_date=(TODAY + timedelta(days=10)).isoformat()),
                            customers)
    use_cases.submit(uow(), rep, soon["id"], None)
    use_cases.approve(uow(), approver, soon["id"], None)
    now = datetime.now(timezone.utc)
    assert use_cases.send_expiry_reminders(uow(), now) == 1
    assert use_cases.send_expiry_reminders(uow(), now) == 0
    (_, data), = emitted("sales.contract_expiring")
    assert (data["contract_id"], data["days_left"]) == (soon["id"], 10)


def test_reminders_by_hand_need_the_operator_permission(uow, rep):
    from crm_common.errors import Forbidden
    with pytest.raises(Forbidden):
        use_cases.run_expiry_reminders(uow(), rep, {})


def test_a_contract_of_another_rep_or_an_unknown_change_is_not_found(uow, rep, principal_factory, draft, approver):
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, draft["id"])
    with pytest.raises(NotFound):
        use_cases.approve_change(uow(), approver, str(uuid.uuid4()), None)
    with pytest.raises(NotFound):
        queries.change_approval_history(uow(), rep, "not-a-uuid")


def test_a_contract_for_an_unseen_customer_is_invalid_input(uow, rep, customers):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, _body({"id": str(uuid.uuid4())}, rep), customers)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_contracts_are_listed_by_status_and_expiry(uow, rep, draft, active, customers, customer):
    later = use_cases.create(uow(), rep, _body(customer, rep, end_date=(TODAY + timedelta(days=900)).isoformat()),
                             customers)
    assert [c["id"] for c in queries.list_(uow(), rep, {"status": "draft"})["items"]] == [later["id"]]
    expiring = queries.list_(uow(), rep, {"expiring_before": (TODAY + timedelta(days=400)).isoformat()})["items"]
    assert [c["id"] for c in expiring] == [active["id"]]
