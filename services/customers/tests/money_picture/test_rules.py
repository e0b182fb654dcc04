from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from crm_customers.money_picture.rules import protection_days_left

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 1, 15, 59, tzinfo=timezone.utc)  # 23:59 on 1 March in Shanghai


def test_days_left_until_the_recycle_day():
    assert protection_days_left(datetime(2026, 3, 1, 16, 1, tzinfo=timezone.utc), False, NOW, SHANGHAI) == 1


def test_a_passed_date_leaves_zero():
    assert protection_days_left(datetime(2026, 2, 1, tzinfo=timezone.utc), False, NOW, SHANGHAI) == 0


def test_no_days_in_the_pool_or_without_a_rule():
    assert protection_days_left(datetime(2026, 3, 9, tzinfo=timezone.utc), True, NOW, SHANGHAI) is None
    assert protection_days_left(None, False, NOW, SHANGHAI) is None
