from decimal import Decimal as D

import pytest

from crm_finance.invoicing import rules


@pytest.mark.parametrize("gross,rate,net,tax", [
    ("113.00", "0.13", "100.00", "13.00"),
    ("30.00", "0.13", "26.55", "3.45"),   # 3.4513… rounds down
    ("0.05", "0.13", "0.04", "0.01"),     # 0.00575… rounds half up to 0.01
    ("10.00", "0", "10.00", "0.00"),
])
def test_tax_inside_a_gross_amount_rounds_half_up_and_net_takes_the_rest(gross, rate, net, tax):
    assert rules.split_tax(D(gross), D(rate)) == (D(net), D(tax))
    assert sum(rules.split_tax(D(gross), D(rate))) == D(gross)


def test_lines_within_what_is_not_invoiced_pass():
    assert rules.over_invoiced_lines({"a": D("10.00")}, [("a", D("10.00"))]) == {}


def test_a_line_above_what_is_left_or_not_on_the_order_points_at_itself():
    assert rules.over_invoiced_lines({"a": D("10.00")}, [("a", D("10.01")), ("zzz", D("1"))]) == {
        0: {"amount": ["Exceeds the line's not invoiced 10.00."]}, 1: {"order_line_id": ["Not a line of this order."]}}
