"""The notification inbox through its use cases: who is told, read state, counts."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Forbidden, NotFound
from crm_workspace.notifications import queries, rules, use_cases

READ = {"notifications.read"}


@pytest.fixture
def add(uow):
    def add_(**columns):
        with uow() as unit:
            use_cases.add(unit, {"kind": "test", "title": "t", "body": "b", **columns})
    return add_


@pytest.fixture
def user(principal_factory):
    return principal_factory(permissions=READ, scope="own")


def test_a_direct_notification_reaches_its_recipient_only(uow, add, user, principal_factory):
    add(recipient_user_id=user.user_id, title="给你的")
    assert [n["title"] for n in queries.list_(uow(), user, {})["items"]] == ["给你的"]
    other = principal_factory(permissions=READ, scope="all")
    assert queries.list_(uow(), other, {})["items"] == []


def test_an_audience_notification_reaches_permission_holders_whose_scope_covers_it(uow, add, principal_factory):
    owner = str(uuid.uuid4())
    add(audience_permission="orders.approve", owner_id=owner, department_path="/hq/sales/", branch="HQ")
    manager = principal_factory(permissions=READ | {"orders.approve"}, scope="subtree", department_path="/hq/")
    outsider = principal_factory(permissions=READ | {"orders.approve"}, scope="department",
                                 department_path="/hq/finance/")
    no_permission = principal_factory(permissions=READ, scope="all")
    assert len(queries.list_(uow(), manager, {})["items"]) == 1
    assert queries.list_(uow(), outsider, {})["items"] == []
    assert queries.list_(uow(), no_permission, {})["items"] == []


def test_reading_moves_a_notification_from_unread_to_read(uow, add, user):
    add(recipient_user_id=user.user_id, kind="a")
    add(recipient_user_id=user.user_id, kind="b")
    assert queries.unread_count(uow(), user) == {"unread": 2}
    first = queries.list_(uow(), user, {"kind": "a"})["items"][0]
    assert use_cases.mark_read(uow(), user, first["id"])["read"] is True
    assert queries.unread_count(uow(), user) == {"unread": 1}
    assert [n["kind"] for n in queries.list_(uow(), user, {"unread": "true"})["items"]] == ["b"]
    assert [n["read"] for n in queries.list_(uow(), user, {"unread": "false"})["items"]] == [True]


def test_someone_elses_notification_cannot_be_marked_read(uow, add, user, principal_factory):
    add(recipient_user_id=user.user_id)
    notification = queries.list_(uow(), user, {})["items"][0]
    with pytest.raises(NotFound):
        use_cases.mark_read(uow(), principal_factory(permissions=READ), notification["id"])
    with pytest.raises(NotFound):
        use_cases.mark_read(uow(), user, "nope")
    assert queries.unread_count(uow(), user) == {"unread": 1}


def test_the_inbox_needs_its_permission(uow, principal_factory):
    with pytest.raises(Forbidden):
        queries.list_(uow(), principal_factory(permissions=set()), {})


def test_an_approval_request_lands_with_its_approvers(uow, principal_factory):
    approver = principal_factory(permissions=READ | {"orders.approve"}, scope="branch")
    data = {"owner_id": str(uuid.uuid4()), "department_path": "/hq/sales/", "branch": "HQ",
            "approval_id": str(uuid.uuid4()), "document_type": "order", "document_id": str(uuid.uuid4()),
            "document_number": "SO-HQ-2026-000001", "step_index": 0, "step_name": "Manager",
            "amount": Decimal("1200"), "currency": "CNY", "audience_permission": "orders.approve",
            "recipient_user_id": None}
    with uow() as unit:
        use_cases.add(unit, rules.approval_requested(data))
    [item] = queries.list_(uow(), approver, {})["items"]
    assert item["kind"] == "order_waiting_approval" and "1200.00 CNY" in item["title"]


def _step(approval_id, index, **overrides):
    return {"owner_id": str(uuid.uuid4()), "department_path": "/hq/sales/", "branch": "HQ",
            "approval_id": approval_id, "document_type": "order", "document_id": str(uuid.uuid4()),
            "document_number": "SO-HQ-2026-000009", "step_index": index, "step_name": f"Step {index}",
            "amount": Decimal("10"), "currency": "CNY", "audience_permission": None,
            "recipient_user_id": overrides.pop("recipient"), **overrides}


def _decided(approval_id):
    return {"approval_id": approval_id, "document_type": "order", "document_number": "SO-HQ-2026-000009"}


def test_waiting_for_approval_stops_when_the_step_passes_and_when_the_approval_ends(uow, principal_factory):
    first, second = (principal_factory(permissions=READ) for _ in range(2))
    approval = str(uuid.uuid4())
    with uow() as unit:
        use_cases.approval_requested(unit, _step(approval, 0, recipient=first.user_id))
    with uow() as unit:
        use_cases.approval_requested(unit, _step(approval, 1, recipient=second.user_id))
    [passed] = queries.list_(uow(), first, {})["items"]
    assert passed["resolution"] == "moved_on" and "waiting" not in passed["title"]
    [waiting] = queries.list_(uow(), second, {})["items"]
    assert waiting["resolved_at"] is None and "waiting" in waiting["title"]
    with uow() as unit:
        use_cases.approval_ended(unit, _decided(approval), "rejected")
    [ended] = queries.list_(uow(), second, {})["items"]
    assert ended["resolution"] == "rejected" and ended["title"].endswith("was rejected")
    assert queries.list_(uow(), first, {})["items"][0]["resolution"] == "moved_on"  # kept


def test_a_step_announced_after_the_end_arrives_resolved(uow, principal_factory):
    approver = principal_factory(permissions=READ)
    approval = str(uuid.uuid4())
    with uow() as unit:
        use_cases.approval_ended(unit, _decided(approval), "withdrawn")
    with uow() as unit:
        use_cases.approval_requested(unit, _step(approval, 0, recipient=approver.user_id))
    [item] = queries.list_(uow(), approver, {})["items"]
    assert item["resolution"] == "withdrawn" and item["resolved_at"]


def test_one_fact_is_told_once(uow, user):
    columns = {"kind": "k", "title": "t", "body": "b", "fact_key": f"fact:{uuid.uuid4()}",
               "recipient_user_id": user.user_id}
    with uow() as unit:
        assert use_cases.add(unit, dict(columns)) is True
        assert use_cases.add(unit, dict(columns)) is False
        assert use_cases.add(unit, None) is False
    assert len(queries.list_(uow(), user, {})["items"]) == 1
