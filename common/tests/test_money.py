from decimal import Decimal

from crm_common import money


def test_cents_round_half_up_as_on_chinese_invoices():
    assert money.cents(Decimal("0.005")) == Decimal("0.01")
    assert money.cents(Decimal("0.0049")) == Decimal("0.00")
    assert money.cents(Decimal("-0.005")) == Decimal("-0.01")
    assert money.cents(Decimal("2.675")) == Decimal("2.68")


def test_line_amount_rounds_once_and_the_total_sums_rounded_lines():
    lines = [money.line_amount(Decimal("3"), Decimal("0.335")), money.line_amount(Decimal("1.5"), Decimal("9.99"))]
    assert lines == [Decimal("1.01"), Decimal("14.99")]
    assert money.total(lines) == Decimal("16.00")
    assert money.total([]) == Decimal("0.00") and str(money.total([])) == "0.00"


def test_cent_exactness_is_checked_not_rounded_away():
    assert money.is_cent_exact(Decimal("10.10")) and money.is_cent_exact(Decimal("7"))
    assert not money.is_cent_exact(Decimal("10.101"))


def test_percent_of():
    assert money.percent_of(Decimal("99.99"), Decimal("33.3")) == Decimal("33.30")
    assert money.percent_of(Decimal("100.00"), Decimal("12.5")) == Decimal("12.50")
    assert money.DEFAULT_CURRENCY == "CNY"
