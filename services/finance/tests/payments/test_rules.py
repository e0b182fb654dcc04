import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_finance.payments import rules


def test_a_pending_payment_is_paid_once():
    assert rules.PAYMENT.next_status(rules.PENDING, "pay") == rules.PAID
    with pytest.raises(TransitionNotAllowed, match="Cannot pay this payment: it is paid"):
        rules.PAYMENT.next_status(rules.PAID, "pay")
