"""Reminders made from other services' events: who is reminded and when a fact repeats."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_workspace.reminders import rules

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
OWNED = {"owner_id": "u" * 36, "department_path": "/a/", "branch": "HQ"}


def _overdue(bucket):
    return {**OWNED, "receivable_id": "r" * 36, "order_id": "o" * 36, "customer_id": "c" * 36,
            "amount": Decimal("100.00"), "outstanding": Decimal("40.5"), "currency": "CNY",
            "due_date": date(2026, 1, 1), "days_overdue": 59, "bucket": bucket}


def test_overdue_receivable_reminds_its_owner_once_per_bucket():
    first, same, later = (rules.receivable_overdue(_overdue(b), NOW) for b in ("31-60", "31-60", "61-90"))
    assert first["owner_id"] == OWNED["owner_id"] and first["due_at"] == NOW
    assert first["source_key"] == same["source_key"] != later["source_key"]
    assert "40.50 CNY" in first["title"]


def test_important_date_without_a_contact_names_the_customer():
    columns = rules.important_date({**OWNED, "customer_id": "c" * 36, "customer_name": "天马",
                                              "contact_id": None, "kind": "important_date",
                                              "label": "合作十周年", "occurs_on": date(2026, 3, 5)}, NOW)
    assert columns["title"] == "天马: 合作十周年 on 2026-03-05" and ":-:" in columns["source_key"]


def test_a_reminder_fires_only_while_pending_and_completes_from_anywhere():
    assert rules.REMINDER.statuses == set(rules.REMINDER_STATUSES)
    assert rules.REMINDER.allowed_actions("pending") == ["fire", "complete"]
    assert rules.REMINDER.allowed_actions("fired") == ["complete"]
    assert rules.REMINDER.next_status("done", "complete") == "done"
    with pytest.raises(TransitionNotAllowed):
        rules.REMINDER.next_status("done", "fire")
