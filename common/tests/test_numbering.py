"""Numbering rules: the shapes of numbers, when sequences restart, and which rules are refused."""
from datetime import date

import pytest

from crm_common import numbering
from crm_common.numbering import NumberRule, conflicting_keys, counter_key, format_number, period, problems

DAY = date(2026, 3, 9)


def test_the_default_rule_keeps_todays_numbers_and_their_counters():
    rule = numbering.default_rule("order")
    assert format_number(rule, "HQ", DAY, 123) == "SO-HQ-2026-000123"
    assert (counter_key(rule, "HQ"), period(rule, DAY)) == ("SO-HQ", 2026)
    assert numbering.default_rule("invoice").prefix == "INV"
    assert {service for service, _ in numbering.DOCUMENT_TYPES.values()} == {
        "customers", "sales", "logistics", "finance", "workspace"}


@pytest.mark.parametrize("rule, number, key, run", [
    (NumberRule("FP", "year_month", 5, "month"), "FP-SH-202603-00042", "FP-SH/year_month/month", 202603),
    (NumberRule("FP", "year_month", 5, "year"), "FP-SH-202603-00042", "FP-SH/year_month/year", 2026),
    (NumberRule("KH", "none", 8, "never"), "KH-SH-00000042", "KH-SH/none/never", 0),
    (NumberRule("HT", "year", 3, "never"), "HT-SH-2026-042", "HT-SH/year/never", 0),
])
def test_date_parts_digits_and_resets(rule, number, key, run):
    assert problems(rule) == {}
    assert format_number(rule, "SH", DAY, 42) == number
    assert (counter_key(rule, "SH"), period(rule, DAY)) == (key, run)


def test_digits_only_pad_a_longer_sequence_still_counts():
    assert format_number(NumberRule("SO", digits=3), "HQ", DAY, 12345) == "SO-HQ-2026-12345"


def test_a_sequence_may_restart_only_with_a_date_that_changes_with_it():
    assert "reset" in problems(NumberRule("SO", "year", 6, "month"))
    assert "reset" in problems(NumberRule("SO", "none", 6, "year"))
    assert problems(NumberRule("SO", "year_month", 6, "never")) == {}


@pytest.mark.parametrize("rule, field", [
    (NumberRule("so"), "prefix"), (NumberRule("1SO"), "prefix"), (NumberRule("S-O"), "prefix"),
    (NumberRule("ABCDEFGHIJK"), "prefix"), (NumberRule("SO", digits=2), "digits"),
    (NumberRule("SO", digits=13), "digits"), (NumberRule("SO", date_part="week"), "date_part"),
    (NumberRule("SO", reset="day"), "reset"),
])
def test_unusable_rules_name_their_field(rule, field):
    assert field in problems(rule)


def test_another_reset_of_the_same_prefix_and_date_part_would_count_numbers_twice():
    # yearly SO-HQ-2026-000001… then "never": its counter would start at 1 again in 2026
    assert conflicting_keys(NumberRule("SO", "year", 6, "never"), "HQ") == ["SO-HQ"]
    assert conflicting_keys(NumberRule("SO"), "HQ") == ["SO-HQ/year/never"]
    assert sorted(conflicting_keys(NumberRule("SO", "year_month", 6, "month"), "HQ")) == [
        "SO-HQ/year_month/never", "SO-HQ/year_month/year"]
    assert conflicting_keys(NumberRule("SO", "none", 6, "never"), "HQ") == []
