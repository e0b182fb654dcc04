import pytest

from crm_common.errors import Conflict
from crm_common.statemachine import StateMachine, TransitionNotAllowed

ORDER = StateMachine("order", {
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "cancel": ({"draft", "submitted", "rejected"}, "cancelled"),
})


class Record:
    def __init__(self, status):
        self.status = status


def test_allowed_action_leads_to_its_target():
    assert ORDER.next_status("draft", "submit") == "submitted"
    assert ORDER.next_status("rejected", "submit") == "submitted"


def test_refusal_is_a_409_naming_the_current_status_and_what_is_allowed():
    with pytest.raises(TransitionNotAllowed) as refused:
        ORDER.next_status("submitted", "submit")
    assert isinstance(refused.value, Conflict) and refused.value.status == 409
    assert refused.value.detail == "Cannot submit this order: it is submitted; allowed now: approve, cancel"
    assert refused.value.errors == {"status": ["submitted"], "allowed_actions": ["approve", "cancel"]}


def test_a_final_status_allows_nothing():
    with pytest.raises(TransitionNotAllowed, match="allowed now: nothing"):
        ORDER.next_status("cancelled", "approve")
    assert ORDER.allowed_actions("cancelled") == []


def test_unknown_action_is_a_programming_error_not_a_conflict():
    with pytest.raises(ValueError):
        ORDER.next_status("draft", "ship")
    with pytest.raises(ValueError):
        ORDER.can("draft", "ship")


def test_apply_moves_the_record_on_and_leaves_it_alone_when_refused():
    record = Record("draft")
    assert ORDER.apply(record, "submit") == "submitted" and record.status == "submitted"
    with pytest.raises(TransitionNotAllowed):
        ORDER.apply(record, "submit")
    assert record.status == "submitted"


def test_table_introspection():
    assert ORDER.actions == ("submit", "approve", "cancel")
    assert ORDER.statuses == {"draft", "rejected", "submitted", "approved", "cancelled"}
    assert ORDER.can("draft", "cancel") and not ORDER.can("approved", "cancel")


def test_refusal_survives_the_rpc_round_trip_as_itself():
    from nameko.exceptions import deserialize, serialize

    import crm_common.remote_errors  # noqa: F401

    with pytest.raises(TransitionNotAllowed) as refused:
        ORDER.next_status("approved", "cancel")
    again = deserialize(serialize(refused.value))
    assert type(again) is TransitionNotAllowed
    assert (again.detail, again.errors) == (refused.value.detail, refused.value.errors)
