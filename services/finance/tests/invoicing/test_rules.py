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


def test_a_special_invoice_needs_the_whole_title_a_normal_one_nothing():
    complete = {"name": "宁波天马", "taxpayer_number": "91330206MA2AXXXX1Q", "address": "宁波市江北区",
                "phone": "0574-87650001", "bank_name": "工商银行宁波分行", "bank_account": "3901100009000012345"}
    for kind in rules.SPECIAL_TYPES:
        assert rules.missing_title_fields(kind, complete) == []
        assert rules.missing_title_fields(kind, {**complete, "bank_account": ""}) == ["bank_account"]
        assert rules.missing_title_fields(kind, None) == list(rules.TITLE_FIELDS)
    assert rules.missing_title_fields("vat_normal", {"name": "张三"}) == []
    assert rules.missing_title_fields("digital_normal", None) == []


def test_an_invoice_is_issued_once_and_reversed_once_fully():
    assert rules.LIFECYCLE.next_status("draft", "issue") == "issued"
    assert rules.LIFECYCLE.next_status("issued", "reverse_fully") == "reversed"
    for status, action in (("issued", "issue"), ("reversed", "reverse_fully"), ("draft", "reverse_fully")):
        assert not rules.LIFECYCLE.can(status, action)


def test_a_reversal_takes_back_from_the_last_line_first_and_never_more_than_remains():
    assert rules.reversal_shares(D("15.00"), [D("10.00"), D("10.00")]) == [D("5.00"), D("10.00")]
    assert rules.reversal_shares(D("20.00"), [D("10.00"), D("10.00")]) == [D("10.00"), D("10.00")]
    assert rules.reversal_shares(D("20.01"), [D("10.00"), D("10.00")]) is None
    assert rules.reversal_shares(D("3.00"), [D("10.00"), D("0.00")]) == [D("3.00"), D("0.00")]


def test_the_last_reversal_of_a_line_takes_the_rest_of_its_tax():
    # 10.00 at 13 % carries 1.15 tax; reversed in three thirds the rounded shares would give 0.38 × 3
    # = 1.14, so the last takes what is left and the line nets to zero.
    net, tax = rules.split_tax(D("10.00"), D("0.13"))
    assert tax == D("1.15")
    first = rules.reversal_tax(D("3.33"), D("0.13"), D("10.00"), tax)
    second = rules.reversal_tax(D("3.33"), D("0.13"), D("6.67"), tax - first)
    last = rules.reversal_tax(D("3.34"), D("0.13"), D("3.34"), tax - first - second)
    assert (first, second) == (D("0.38"), D("0.38")) and first + second + last == tax


def test_only_the_allowed_tax_rates():
    assert rules.TAX_RATES == (D("0.13"), D("0.09"), D("0.06"), D("0.03"), D("0.01"), D("0"))
    assert rules.DEFAULT_TAX_RATE in rules.TAX_RATES
