"""What the inbox says for each event, and to whom."""
from datetime import date
from decimal import Decimal

from crm_workspace.messages import order_waiting_approval, receivable_opened

OWNER = "11111111-1111-1111-1111-111111111111"
ORDER = "22222222-2222-2222-2222-222222222222"
SCOPE = {"owner_id": OWNER, "department_path": "/hq/sales/", "branch": "SH"}


def test_order_submitted_goes_to_approvers_in_scope_of_the_order():
    columns = order_waiting_approval({
        **SCOPE, "order_id": ORDER, "number": "SO-SH-2026-000123", "customer_id": OWNER,
        "total": Decimal("1200.00"), "currency": "CNY"})
    assert columns["kind"] == "order_waiting_approval"
    assert columns["audience_permission"] == "orders.approve"
    assert {k: columns[k] for k in SCOPE} == SCOPE
    assert "recipient_user_id" not in columns
    assert "SO-SH-2026-000123" in columns["title"] and "1200.00 CNY" in columns["title"]
    assert columns["link"] == f"/api/v1/orders/{ORDER}"


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
