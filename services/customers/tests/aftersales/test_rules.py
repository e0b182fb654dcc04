"""The complaint life cycle (pure)."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_customers.aftersales.rules import COMPLAINT

next_status = COMPLAINT.next_status


def test_complaint_workflow():
    assert next_status("open", "assign") == "assigned"
    assert next_status("resolved", "close") == "closed"
    with pytest.raises(TransitionNotAllowed):
        next_status("open", "close")


def test_a_closed_complaint_allows_nothing_and_a_resolved_one_reopens():
    assert COMPLAINT.allowed_actions("closed") == []
    assert COMPLAINT.allowed_actions("resolved") == ["reopen", "close"]
    assert next_status("assigned", "assign") == "assigned"  # reassigned
