from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from crm_common.branch_time import days_until, end_of_day, today

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_today_is_the_branch_day_not_the_utc_day():
    late_utc = datetime(2026, 3, 1, 17, 30, tzinfo=timezone.utc)  # 01:30 on 2 March in Shanghai
    assert today(late_utc, SHANGHAI) == date(2026, 3, 2)


def test_days_until_counts_calendar_days_in_the_zone():
    now = datetime(2026, 3, 1, 15, 59, tzinfo=timezone.utc)  # 23:59 on 1 March in Shanghai
    assert days_until(datetime(2026, 3, 1, 16, 1, tzinfo=timezone.utc), now, SHANGHAI) == 1  # 00:01 the next day
    assert days_until(datetime(2026, 3, 11, 2, 0, tzinfo=timezone.utc), now, SHANGHAI) == 10
    assert days_until(datetime(2026, 2, 27, tzinfo=timezone.utc), now, SHANGHAI) == -2


def test_end_of_day_is_local_midnight_in_utc():
    assert end_of_day(date(2026, 3, 1), SHANGHAI) == datetime(2026, 3, 1, 16, 0, tzinfo=timezone.utc)
