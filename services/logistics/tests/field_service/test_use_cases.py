"""Field-service orders through their use cases on the logistics database alone."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.field_service import queries, use_cases

CALL = {"contact_name": "李工", "contact_phone": "13800000000", "address": "上海市浦东新区", "fault_description": "不开机"}
FEEDBACK = {"actual_start": "2026-03-01T09:00:00+08:00", "actual_end": "2026-03-01T11:00:00+08:00",
            "description": "更换电源", "parts_used": [{"part_no": "PSU-1", "name": "电源", "quantity": "1"}]}
FEE = {"items": [{"description": "上门费", "amount": "350.00"}, {"description": "工时", "amount": "120.50"}]}


@pytest.fixture
def office(principal_factory):
    return principal_factory(permissions={"field_service.read", "field_service.write"}, scope="branch")


@pytest.fixture
def provider(principal_factory):
    return principal_factory(permissions={"field_service.provider"}, scope="own", username="维修商")


@pytest.fixture
def head_office(principal_factory):
    return principal_factory(permissions={"field_service.read", "field_service.settle"}, scope="all")


def now_iso(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


@pytest.fixture
def order_at(uow, office, provider, head_office):
    """A new order taken to the given step of the happy path; returns its id."""
    path = [("dispatch", office, {"provider_id": provider.user_id, "provider_name": "维修商"}),
            ("confirm", office, {"technician_name": "张师傅", "technician_phone": "13900000000"}),
            ("progress", office, {"arrived_at": now_iso(hours=-2), "fixed_at": now_iso(hours=-1)}),
            ("feedback", provider, FEEDBACK), ("audit", office, {"approved": True}), ("fee", office, FEE),
            ("hq_audit", head_office, {"approved": True}), ("settle", head_office, {})]

    def take(last: str | None = None) -> str:
        order_id = use_cases.create(uow(), office, CALL)["id"]
        for action, actor, body in path[:[a for a, _, _ in path].index(last) + 1] if last else []:
            use_cases.step(uow(), actor, order_id, action, body)
        return order_id
    return take


def test_a_repair_call_becomes_a_new_numbered_order(uow, office):
    order = use_cases.create(uow(), office, CALL)
    assert order["status"] == "new" and order["number"].startswith("FS-HQ-")
    assert order["history"][0]["action"] == "create" and order["history"][0]["by"] == office.user_id


def test_the_whole_workflow_settles_and_asks_finance_to_pay(uow, order_at, head_office, provider, emitted):
    order = queries.get(uow(), head_office, order_at("settle"))
    assert order["status"] == "settled" and order["fee_total"] == "470.50" and order["fee_currency"] == "CNY"
    assert [step["action"] for step in order["history"]] == [
        "create", "dispatch", "confirm", "progress", "feedback", "audit", "fee", "hq_audit", "settle"]
    [(_, data)] = emitted("logistics.field_service_settled")
    assert data["amount"] == "470.50" and data["provider_id"] == provider.user_id


def test_nothing_is_paid_before_settlement(uow, order_at, emitted):
    order_at("hq_audit")
    assert emitted("logistics.field_service_settled") == []


def test_a_step_out_of_order_is_a_409_naming_what_is_allowed(uow, order_at, office):
    order_id = order_at("dispatch")
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.step(uow(), office, order_id, "fee", FEE)
    assert refused.value.errors == {"status": ["dispatched"], "allowed_actions": ["dispatch", "confirm"]}
    assert queries.get(uow(), office, order_id)["status"] == "dispatched"


def test_an_order_can_be_dispatched_again_before_confirmation(uow, order_at, office, principal_factory):
    order_id = order_at("dispatch")
    other = str(uuid.uuid4())
    order = use_cases.step(uow(), office, order_id, "dispatch", {"provider_id": other, "provider_name": "另一家"})
    assert order["provider_id"] == other and order["status"] == "dispatched"


def test_progress_without_a_fix_is_in_service_and_a_fix_starts_the_feedback_clock(uow, order_at, office):
    order_id = order_at("confirm")
    order = use_cases.step(uow(), office, order_id, "progress", {"arrived_at": now_iso(), "anomalies": "缺件"})
    assert order["status"] == "in_service" and order["feedback_due_at"] is None
    fixed = now_iso()
    order = use_cases.step(uow(), office, order_id, "progress", {"fixed_at": fixed})
    assert order["status"] == "serviced" and order["anomalies"] == "缺件"
    assert datetime.fromisoformat(order["feedback_due_at"]) == datetime.fromisoformat(fixed) + timedelta(days=3)


def test_feedback_after_three_days_is_late_and_overdue_until_given(uow, order_at, office, provider):
    order_id = order_at("confirm")
    use_cases.step(uow(), office, order_id, "progress", {"fixed_at": now_iso(days=-4)})
    assert queries.get(uow(), office, order_id)["feedback_overdue"] is True
    assert [item["id"] for item in queries.list_(uow(), office, {"feedback_overdue": True})["items"]] == [order_id]
    order = use_cases.step(uow(), provider, order_id, "feedback", FEEDBACK)
    assert order["status"] == "feedback_given" and order["feedback_late"] is True
    assert order["feedback_overdue"] is False and order["feedback"]["parts_used"][0]["quantity"] == "1"


def test_a_rejected_audit_asks_the_provider_again(uow, order_at, office):
    order_id = order_at("feedback")
    order = use_cases.step(uow(), office, order_id, "audit", {"approved": False, "comment": "照片不清"})
    assert order["status"] == "serviced" and order["audit_comment"] == "照片不清"
    assert order["history"][-1] == {**order["history"][-1], "action": "audit", "approved": False}


def test_a_rejected_head_office_audit_asks_for_a_new_fee_statement(uow, order_at, head_office):
    order_id = order_at("fee")
    order = use_cases.step(uow(), head_office, order_id, "hq_audit", {"approved": False})
    assert order["status"] == "audited"


def test_a_provider_sees_and_acts_on_only_what_was_dispatched_to_them(uow, order_at, provider,
                                                                       principal_factory):
    dispatched = order_at("progress")
    order_at()  # not dispatched
    assert [item["id"] for item in queries.list_(uow(), provider, {})["items"]] == [dispatched]
    stranger = principal_factory(permissions={"field_service.provider"}, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), stranger, dispatched)
    with pytest.raises(NotFound):
        use_cases.step(uow(), stranger, dispatched, "feedback", FEEDBACK)
    assert queries.get(uow(), provider, dispatched)["status"] == "serviced"


def test_a_provider_cannot_take_the_offices_steps(uow, order_at, provider):
    order_id = order_at("feedback")
    with pytest.raises(Forbidden):
        use_cases.step(uow(), provider, order_id, "audit", {"approved": True})


def test_the_office_cannot_settle(uow, order_at, office):
    order_id = order_at("hq_audit")
    with pytest.raises(Forbidden):
        use_cases.step(uow(), office, order_id, "settle", {})


def test_another_branchs_order_does_not_exist_for_the_office(uow, order_at, principal_factory):
    order_id = order_at()
    elsewhere = principal_factory(permissions={"field_service.read", "field_service.write"}, scope="branch",
                                  branch="BJ")
    with pytest.raises(NotFound):
        queries.get(uow(), elsewhere, order_id)
    with pytest.raises(NotFound):
        use_cases.step(uow(), elsewhere, order_id, "dispatch", {"provider_id": str(uuid.uuid4()),
                                                                "provider_name": "x"})


def test_a_bad_step_body_is_invalid_input_and_nothing_is_written(uow, order_at, office):
    order_id = order_at()
    with pytest.raises(InvalidInput):
        use_cases.step(uow(), office, order_id, "dispatch", {"provider_id": "nobody"})
    order = queries.get(uow(), office, order_id)
    assert order["status"] == "new" and len(order["history"]) == 1


def test_a_fee_needs_positive_cent_amounts(uow, order_at, office):
    order_id = order_at("audit")
    with pytest.raises(InvalidInput):
        use_cases.step(uow(), office, order_id, "fee", {"items": [{"description": "x", "amount": "-1"}]})
    assert queries.get(uow(), office, order_id)["fee_total"] is None


def test_settle_takes_no_body(uow, order_at, head_office):
    with pytest.raises(InvalidInput):
        use_cases.step(uow(), head_office, order_at("hq_audit"), "settle", {"paid": True})


def test_reading_needs_a_permission(uow, order_at, principal_factory):
    with pytest.raises(Forbidden):
        queries.list_(uow(), principal_factory(permissions={"shipments.read"}, scope="all"), {})


def test_orders_are_listed_by_status(uow, order_at, office):
    order_at()
    confirmed = order_at("confirm")
    assert [item["id"] for item in queries.list_(uow(), office, {"status": "confirmed"})["items"]] == [confirmed]
    assert len(queries.list_(uow(), office, {})["items"]) == 2
