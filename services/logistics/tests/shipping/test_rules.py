from decimal import Decimal as D

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.shipping import rules


def test_remaining_is_ordered_minus_shipped():
    assert rules.remaining(D("10.500"), D("4.250")) == D("6.250")


def test_quantities_within_remaining_pass():
    assert rules.over_shipped_lines({"a": D("5"), "b": D("1.5")}, [("a", D("5")), ("b", D("0.001"))]) == {}


def test_quantity_above_remaining_points_at_the_line():
    errors = rules.over_shipped_lines({"a": D("5"), "b": D("1.5")}, [("a", D("1")), ("b", D("1.501"))])
    assert list(errors) == [1]
    assert list(errors[1]) == ["quantity"]


def test_line_of_another_fulfilment_is_rejected():
    errors = rules.over_shipped_lines({"a": D("5")}, [("zzz", D("1"))])
    assert errors == {0: {"fulfilment_line_id": ["Not a line of this fulfilment."]}}


def test_fully_shipped_line_accepts_nothing_more():
    assert 0 in rules.over_shipped_lines({"a": D("0")}, [("a", D("0.001"))])


def test_status_open_while_anything_remains():
    assert rules.fulfilment_status([D("0"), D("0.001")]) == rules.OPEN


def test_status_completed_when_nothing_remains():
    assert rules.fulfilment_status([D("0"), D("0.000")]) == rules.COMPLETED


def test_order_without_lines_has_nothing_to_ship():
    assert rules.fulfilment_status([]) == rules.COMPLETED


@pytest.mark.parametrize("action,current,target", [("ship", "pending", "shipped"), ("deliver", "shipped", "delivered"),
                                                   ("cancel", "pending", "cancelled"), ("cancel", "shipped", "cancelled")])
def test_shipment_transitions(action, current, target):
    assert rules.SHIPMENT.next_status(current, action) == target


@pytest.mark.parametrize("action,current", [("cancel", "delivered"), ("ship", "shipped"), ("deliver", "pending"),
                                            ("cancel", "cancelled")])
def test_shipment_transitions_refused(action, current):
    with pytest.raises(TransitionNotAllowed):
        rules.SHIPMENT.next_status(current, action)
