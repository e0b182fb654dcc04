from decimal import Decimal as D

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.returns import rules


def test_receiving_within_what_is_expected_passes():
    assert rules.over_received_lines({"a": D("2"), "b": D("1")}, [("a", D("2")), ("b", D("0.5"))]) == {}


def test_receiving_more_than_expected_points_at_the_line():
    assert rules.over_received_lines({"a": D("2")}, [("a", D("2.001"))]) == {
        0: {"quantity": ["Exceeds the 2 still expected."]}}


def test_a_line_not_on_the_return_is_refused():
    assert rules.over_received_lines({"a": D("2")}, [("zzz", D("1"))]) == {
        0: {"order_line_id": ["Not a line of this return."]}}


@pytest.mark.parametrize("status", [rules.EXPECTED, rules.PARTIAL])
def test_an_open_return_may_receive(status):
    assert rules.GOODS_RETURN.next_status(status, "receive") == rules.RECEIVED


def test_a_received_return_receives_nothing_more():
    with pytest.raises(TransitionNotAllowed, match="allowed now: nothing"):
        rules.GOODS_RETURN.next_status(rules.RECEIVED, "receive")
