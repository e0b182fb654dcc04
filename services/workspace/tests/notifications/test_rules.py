"""What the inbox says for each event, and to whom."""
from datetime import date
from decimal import Decimal

from crm_workspace.notifications.rules import amount_text, approval_requested, receivable_opened

OWNER = "11111111-1111-1111-1111-111111111111"
ORDER = "22222222-2222-2222-2222-222222222222"
SCOPE = {"owner_id": OWNER, "department_path": "/hq/sales/", "branch": "SH"}


def _approval(**overrides):
    return {**SCOPE, "approval_id": OWNER, "document_type": "order", "document_id": ORDER,
            "document_number": "SO-SH-2026-000123", "step_index": 0, "step_name": "Manager",
            "amount": Decimal("1200.00"), "currency": "CNY", "audience_permission": "orders.approve",
            "recipient_user_id": None, **overrides}


def test_approval_step_goes_to_permission_holders_in_scope_of_its_target():
    columns = approval_requested(_approval())
    assert columns["kind"] == "order_waiting_approval"
    assert columns["audience_permission"] == "orders.approve"
    assert {k: columns[k] for k in SCOPE} == SCOPE
    assert "recipient_user_id" not in columns
    assert "SO-SH-2026-000123" in columns["title"] and "1200.00 CNY" in columns["title"]
    assert columns["link"] == f"/api/v1/orders/{ORDER}"


def test_approval_step_for_a_named_user_goes_to_that_user_only():
    columns = approval_requested(_approval(audience_permission=None, recipient_user_id=OWNER,
                                           document_type="pool_extension", amount=Decimal("0.00")))
    assert columns["recipient_user_id"] == OWNER
    assert columns["title"] == "Pool extension SO-SH-2026-000123 is waiting for approval"
    assert "audience_permission" not in columns and "department_path" not in columns
    assert columns["kind"] == "pool_extension_waiting_approval"
    assert columns["link"] == f"/api/v1/approvals/{OWNER}"


def test_receivable_opened_goes_to_the_owner():
    columns = receivable_opened({
        **SCOPE, "receivable_id": ORDER, "order_id": ORDER, "order_number": "SO-SH-2026-000123",
        "customer_id": OWNER, "amount": Decimal("99.5"), "currency": "USD",
        "due_date": date(2026, 12, 31)})
    assert columns["kind"] == "receivable_opened"
    assert columns["recipient_user_id"] == OWNER
    assert "audience_permission" not in columns
    assert "99.50 USD" in columns["title"] and "2026-12-31" in columns["title"]
    assert columns["link"] == f"/api/v1/receivables/{ORDER}"


def test_amounts_read_to_the_cent_rounded_half_up():
    assert amount_text(Decimal("99.5"), "USD") == "99.50 USD"
    assert amount_text(Decimal("0.005"), "CNY") == "0.01 CNY"
    assert amount_text(Decimal("1E+3"), "CNY") == "1000.00 CNY"


def test_owner_changes_tell_the_new_owner_or_for_a_recycled_customer_the_previous_one():
    from crm_workspace.notifications.rules import owner_changed
    data = {**SCOPE, "customer_id": ORDER, "customer_name": "天马", "previous_owner_id": ORDER, "in_pool": False,
            "changed_by": OWNER}
    assigned = owner_changed({**data, "reason": "transferred"}, "e1")
    assert (assigned["kind"], assigned["recipient_user_id"], assigned["fact_key"]) == (
        "customer_transferred", OWNER, "owner_changed:e1")
    assert owner_changed({**data, "reason": "recycled"}, "e2")["recipient_user_id"] == ORDER
    for own_doing in ("claimed", "released", "handed_over"):
        assert owner_changed({**data, "reason": own_doing}, "e3") is None


def test_a_recycle_warning_counts_the_branchs_days_and_names_its_due_date():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from crm_workspace.notifications.rules import recycle_warning
    due = datetime(2026, 12, 10, 17, 0, tzinfo=timezone.utc)  # 01:00 on the 11th in Beijing
    data = {**SCOPE, "customer_id": ORDER, "customer_name": "天马", "recycle_at": due, "days_left": None}
    now = datetime(2026, 12, 8, 23, 30, tzinfo=timezone.utc)  # already the 9th in Beijing
    told = recycle_warning(data, now, ZoneInfo("Asia/Shanghai"))
    assert "in 2 days (2026-12-11)" in told["title"]
    assert told["fact_key"] == f"recycle_warning:{ORDER}:{due.isoformat()}"
    assert "in 3 days" in recycle_warning({**data, "days_left": 3}, now, ZoneInfo("Asia/Shanghai"))["title"]


def test_a_later_step_supersedes_the_earlier_ones():
    from crm_workspace.notifications.rules import approval_fact, earlier_steps, is_superseded, resolved_title
    keys = [approval_fact(OWNER, 0), approval_fact(OWNER, 1)]
    assert earlier_steps(keys, 2) == keys and earlier_steps(keys, 1) == [keys[0]]
    assert is_superseded(keys, 0) and not is_superseded(keys, 1)
    assert resolved_title("pool_extension", "EXT-1", "withdrawn") == "Pool extension EXT-1 was withdrawn"
