"""Return rules: a return is decided once."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_sales.returns.rules import LIFECYCLE


def test_a_submitted_return_is_approved_or_rejected_once():
    assert LIFECYCLE.allowed_actions("submitted") == ["approve", "reject"]
    for decided in ("approved", "rejected"):
        with pytest.raises(TransitionNotAllowed):
            LIFECYCLE.next_status(decided, "approve")
