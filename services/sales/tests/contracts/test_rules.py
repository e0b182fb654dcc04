"""Contract rules: the life cycles of a contract and of its change orders, the stored commission split."""
import uuid
from decimal import Decimal

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_sales.contracts.rules import CHANGE_LIFECYCLE, LIFECYCLE, commission_split


def test_a_contract_is_in_force_once_approved_and_ends_terminated_or_closed():
    status = "draft"
    for action, expected in (("submit", "submitted"), ("approve", "active"), ("terminate", "terminated"),
                             ("close", "closed")):
        status = LIFECYCLE.next_status(status, action)
        assert status == expected
    assert LIFECYCLE.allowed_actions("closed") == []


@pytest.mark.parametrize("current,action", [("draft", "approve"), ("submitted", "terminate"),
                                            ("rejected", "close"), ("terminated", "terminate")])
def test_what_a_contract_may_not_do(current, action):
    with pytest.raises(TransitionNotAllowed):
        LIFECYCLE.next_status(current, action)


def test_a_change_order_is_decided_once():
    assert CHANGE_LIFECYCLE.next_status("pending", "approve") == "applied"
    assert CHANGE_LIFECYCLE.allowed_actions("applied") == CHANGE_LIFECYCLE.allowed_actions("rejected") == []


def test_the_commission_split_is_stored_as_strings_to_the_cent():
    rep = uuid.uuid4()
    assert commission_split([{"user_id": rep, "percent": Decimal("62.5")}]) == [
        {"user_id": str(rep), "percent": "62.50"}]
