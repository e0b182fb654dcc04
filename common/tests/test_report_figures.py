"""The report pack's rollup plumbing that needs no database: deltas netted, the grain a question reads."""
from datetime import date
from decimal import Decimal

from crm_common.report_figures import STANDING, Delta, net
from crm_common.rollups import grain_for, spans

OWNER = "11111111-1111-1111-1111-111111111111"


def test_whole_months_or_no_bounds_read_the_month_rows():
    assert grain_for(None, None) == "month"
    assert grain_for(date(2026, 4, 1), date(2026, 6, 30)) == "month"
    assert grain_for(date(2026, 2, 1), date(2028, 2, 29)) == "month"  # a leap February ends on the 29th
    assert grain_for(date(2026, 4, 2), None) == "day"
    assert grain_for(None, date(2026, 4, 29)) == "day"


def test_partial_months_read_day_rows_only_at_the_edges():
    d = date
    # year to date on 17 December: eleven whole months, then the days of December
    assert spans(d(2026, 1, 1), d(2026, 12, 17)) == [("month", d(2026, 1, 1), d(2026, 11, 30)),
                                                      ("day", d(2026, 12, 1), d(2026, 12, 17))]
    assert spans(d(2026, 1, 15), d(2026, 4, 10)) == [("month", d(2026, 2, 1), d(2026, 3, 31)),
                                                      ("day", d(2026, 1, 15), d(2026, 1, 31)),
                                                      ("day", d(2026, 4, 1), d(2026, 4, 10))]
    assert spans(d(2026, 12, 15), d(2027, 2, 28)) == [("month", d(2027, 1, 1), d(2027, 2, 28)),
                                                       ("day", d(2026, 12, 15), d(2026, 12, 31))]
    assert spans(d(2026, 4, 2), None) == [("month", d(2026, 5, 1), None), ("day", d(2026, 4, 2), d(2026, 4, 30))]
    assert spans(None, d(2026, 4, 29)) == [("month", None, d(2026, 3, 31)), ("day", d(2026, 4, 1), d(2026, 4, 29))]
    # no whole month inside: the day rows alone
    assert spans(d(2026, 1, 15), d(2026, 2, 10)) == [("day", d(2026, 1, 15), d(2026, 2, 10))]
    assert spans(d(2026, 4, 11), d(2026, 4, 11)) == [("day", d(2026, 4, 11), d(2026, 4, 11))]
    assert spans(d(2026, 4, 1), d(2026, 4, 30)) == [("month", d(2026, 4, 1), d(2026, 4, 30))]


def test_net_adds_up_rows_and_drops_what_cancels_out():
    a = Delta("pipeline", STANDING, OWNER, "/d1/", "SH", key="s1", count=1, amount=Decimal(5))
    assert net([a, a.negated()]) == []
    [both] = net([a, a])
    assert (both.count, both.amount) == (2, Decimal(10))
