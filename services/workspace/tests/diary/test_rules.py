"""Pure rules of work plans: the period a day belongs to."""
from datetime import date

from crm_workspace.diary import rules


def test_plan_periods_start_on_their_first_day():
    assert rules.period_start("daily", date(2026, 3, 12)) == date(2026, 3, 12)
    assert rules.period_start("weekly", date(2026, 3, 12)) == date(2026, 3, 9)
    assert rules.period_start("monthly", date(2026, 3, 12)) == date(2026, 3, 1)
