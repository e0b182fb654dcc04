from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_customers.customers.rules import recycle_days_left as days_left
from crm_customers.pool.rules import (EXTENSION, REASONS, claim_refusal, lock_refusal, may_assign,
                                      may_claim, new_customer_clock, owned_limit_refusal, pool_for,
                                      reclaim_blocked_until, rule_problems)


def test_a_pending_request_ends_by_the_engines_outcome():
    assert [EXTENSION.next_status("pending", outcome) for outcome in ("approved", "rejected", "withdrawn")] == \
        ["approved", "rejected", "withdrawn"]


def test_a_decided_request_takes_no_second_outcome():
    for decided in ("approved", "rejected", "withdrawn"):
        assert EXTENSION.allowed_actions(decided) == []
        with pytest.raises(TransitionNotAllowed):
            EXTENSION.next_status(decided, "approved")


# --- pools (CUS-15) ---------------------------------------------------------------------------

TODAY = date(2026, 3, 2)


def _refusal(**overrides):
    facts = dict(claims_today=0, quota=5, owned=0, owned_limit=None, blocked_until=None, today=TODAY)
    return claim_refusal(**{**facts, **overrides})


def test_a_pool_without_people_is_open_and_one_with_people_is_theirs():
    assert may_claim({}, "u1")
    assert may_claim({"u1": "member"}, "u1") and may_claim({"u2": "admin"}, "u2")
    assert not may_claim({"u1": "member"}, "u3")


def test_admins_of_the_pool_and_holders_of_assign_assign():
    assert may_assign({"u1": "admin"}, "u1", False)
    assert not may_assign({"u1": "member"}, "u1", False)
    assert may_assign({}, "u9", True)


def test_a_claim_is_refused_for_the_block_then_the_quota_then_the_limit():
    assert _refusal() is None
    assert "2026-03-05" in _refusal(blocked_until=date(2026, 3, 5))[0]
    assert _refusal(blocked_until=TODAY) is None  # the block's last day has passed
    assert "claim" in _refusal(claims_today=5)[1]
    assert "owner_id" in _refusal(owned=3, owned_limit=3)[1]
    assert "2026-03-05" in _refusal(blocked_until=date(2026, 3, 5), claims_today=5, owned=9, owned_limit=1)[0]


def test_the_former_owner_is_blocked_for_whole_branch_days():
    assert reclaim_blocked_until(date(2026, 3, 2), 3) == date(2026, 3, 5)
    assert reclaim_blocked_until(date(2026, 3, 2), 0) is None
    assert reclaim_blocked_until(None, 3) is None


def test_limits_of_owned_and_locked_customers():
    assert owned_limit_refusal(2, 3) is None and owned_limit_refusal(3, 3) and owned_limit_refusal(9, None) is None
    assert lock_refusal(0, 1) is None and lock_refusal(1, 1) and lock_refusal(50, None) is None


def test_days_left_are_branch_days_and_never_negative():
    shanghai = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 3, 2, 15, 30, tzinfo=timezone.utc)  # 23:30 in Shanghai
    assert days_left(datetime(2026, 3, 2, 16, tzinfo=timezone.utc), now, shanghai) == 1  # the next midnight
    assert days_left(datetime(2026, 3, 1, tzinfo=timezone.utc), now, shanghai) == 0
    assert days_left(None, now, shanghai) is None


def test_a_rule_needs_one_of_its_clocks():
    assert rule_problems({"value_level": "*", "days_without_deal": 30}) == {}
    assert "days_without_followup" in rule_problems({"value_level": "*", "notice_days": 3})
    assert set(REASONS) == {"no_followup", "no_opportunity", "no_deal", "locked", "won", "open_opportunity"}


def test_a_customer_belongs_to_the_deepest_department_pool_above_it_else_the_default():
    pools = [("default", None), ("east", "/1/2/"), ("east-team", "/1/2/7/")]
    assert pool_for("/1/2/7/9/", pools) == "east-team"
    assert pool_for("/1/2/", pools) == "east"
    assert pool_for("/1/3/", pools) == "default"


def test_a_new_customers_first_clock_is_its_levels_rule_or_the_pools():
    rules = {"*": {"days_without_followup": 30}, "A": {"days_without_opportunity": 20, "days_without_deal": 20}}
    assert new_customer_clock(rules, None) == (30, "no_followup")
    assert new_customer_clock(rules, "A") == (20, "no_opportunity")  # a tie: the opportunity comes first
    assert new_customer_clock({"A": {"days_without_deal": 9}}, "B") is None
