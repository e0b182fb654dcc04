import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_customers.pool.rules import EXTENSION


def test_a_pending_request_ends_by_the_engines_outcome():
    assert [EXTENSION.next_status("pending", outcome) for outcome in ("approved", "rejected", "withdrawn")] == \
        ["approved", "rejected", "withdrawn"]


def test_a_decided_request_takes_no_second_outcome():
    for decided in ("approved", "rejected", "withdrawn"):
        assert EXTENSION.allowed_actions(decided) == []
        with pytest.raises(TransitionNotAllowed):
            EXTENSION.next_status(decided, "approved")
