from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from crm_customers.money_picture.rules import days_left, local_today

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_today_is_the_branch_day_not_the_utc_day():
    late_utc = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)  # 01:30 on 2 March in Shanghai
    assert local_today(late_utc, SHANGHAI).isoformat() == "2026-03-02"


def test_days_left_counts_calendar_days_in_the_branch_zone():
    now = datetime(2026, 3, 1, 15, 59, tzinfo=timezone.utc)  # 23:59 on 1 March in Shanghai
    assert days_left(datetime(2026, 3, 1, 16, 1, tzinfo=timezone.utc), now, SHANGHAI) == 1  # 00:01 the next day
    assert days_left(datetime(2026, 3, 11, 2, 0, tzinfo=timezone.utc), now, SHANGHAI) == 10


def test_a_passed_date_leaves_zero_and_none_stays_none():
    now = datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert days_left(datetime(2026, 2, 1, tzinfo=timezone.utc), now, SHANGHAI) == 0
    assert days_left(None, now, SHANGHAI) is None
