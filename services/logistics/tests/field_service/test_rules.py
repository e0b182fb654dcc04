from datetime import datetime, timedelta, timezone
from decimal import Decimal as D

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_logistics.field_service import rules

HAPPY_PATH = [("dispatch", rules.NEW), ("confirm", rules.DISPATCHED), ("progress", rules.CONFIRMED),
              ("feedback", rules.SERVICED), ("audit", rules.FEEDBACK_GIVEN), ("fee", rules.AUDITED),
              ("hq_audit", rules.FEE_STATED), ("settle", rules.HQ_AUDITED)]


@pytest.mark.parametrize("action,status", HAPPY_PATH)
def test_each_step_is_allowed_from_its_status(action, status):
    rules.FIELD_SERVICE.next_status(status, action)


@pytest.mark.parametrize("action,status", [("settle", rules.FEE_STATED), ("settle", rules.AUDITED),
                                           ("feedback", rules.DISPATCHED), ("fee", rules.FEEDBACK_GIVEN),
                                           ("dispatch", rules.CONFIRMED), ("hq_audit", rules.SETTLED)])
def test_steps_out_of_order_are_refused(action, status):
    with pytest.raises(TransitionNotAllowed):
        rules.FIELD_SERVICE.next_status(status, action)


def test_only_the_provider_gives_feedback_and_only_head_office_settles():
    assert rules.ACTIONS["feedback"][1] == "provider"
    assert rules.ACTIONS["settle"][1] == rules.ACTIONS["hq_audit"][1] == "head_office"


def test_feedback_is_due_three_days_after_the_fix_and_late_after_that():
    fixed = datetime(2026, 3, 1, 10, tzinfo=timezone.utc)
    due = rules.feedback_due(fixed)
    assert due == fixed + timedelta(days=3)
    assert not rules.is_late(due, due) and rules.is_late(due, due + timedelta(seconds=1))
    assert not rules.is_late(None, fixed)


def test_rejected_audits_go_one_step_back():
    assert rules.status_after_audit("audit", False) == rules.SERVICED
    assert rules.status_after_audit("hq_audit", False) == rules.AUDITED
    assert rules.status_after_audit("hq_audit", True) == rules.HQ_AUDITED


def test_fee_total_is_exact():
    assert rules.fee_total([{"amount": D("350.00")}, {"amount": D("120.50")}]) == D("470.50")


def test_an_overdue_feedback_is_told_once_per_due_time():
    due = datetime(2026, 12, 1, 8, tzinfo=timezone.utc)
    later = due + timedelta(hours=1)
    assert rules.owes_overdue_notice(rules.SERVICED, due, None, later)
    assert not rules.owes_overdue_notice(rules.SERVICED, due, due, later)  # told already
    assert rules.owes_overdue_notice(rules.SERVICED, due, due - timedelta(days=1), later)  # a new fix, a new due
    assert not rules.owes_overdue_notice(rules.SERVICED, due, None, due)  # not late yet
    assert not rules.owes_overdue_notice(rules.FEEDBACK_GIVEN, due, None, later)
