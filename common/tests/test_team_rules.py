"""Team members' pure rules: access, expiry in the branch's days, what a membership may not be."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from crm_common import team_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_read_only_reads_and_read_write_also_writes():
    assert team_rules.grants("read_only", write=False)
    assert not team_rules.grants("read_only", write=True)
    assert team_rules.grants("read_write", write=False)
    assert team_rules.grants("read_write", write=True)
    assert not team_rules.grants("owner", write=False)


def test_an_expiry_day_ends_at_the_branch_s_midnight_not_utc_s():
    ends = team_rules.expiry_instant(date(2026, 12, 1), SHANGHAI)
    assert ends == datetime(2026, 12, 1, 16, 0, tzinfo=timezone.utc)  # 2 Dec 00:00 in Beijing
    assert team_rules.expiry_day(ends, SHANGHAI) == date(2026, 12, 1)
    assert team_rules.expiry_instant(None, SHANGHAI) is None and team_rules.expiry_day(None, SHANGHAI) is None
    # 23:59 Beijing on the last day still counts, 00:00 the next day no longer
    assert team_rules.is_live(ends, datetime(2026, 12, 1, 15, 59, tzinfo=timezone.utc))
    assert not team_rules.is_live(ends, ends)
    assert team_rules.is_live(None, datetime(2999, 1, 1, tzinfo=timezone.utc))


def test_the_owner_is_no_member_and_an_expiry_is_not_in_the_past():
    today = date(2026, 12, 1)
    assert team_rules.membership_errors(member_id="u2", owner_id="u1", expires_on=today, today=today) == {}
    assert team_rules.membership_errors(member_id="u2", owner_id="u1", expires_on=None, today=today) == {}
    errors = team_rules.membership_errors(member_id="u1", owner_id="u1", expires_on=date(2026, 11, 30), today=today)
    assert set(errors) == {"user_id", "expires_on"}
