"""`make check-ledger` must see a breach when there is one (else it proves nothing)."""
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_check_ledger_reports_a_corrupted_balance_and_an_order_without_receivable(stack, admin, approved_order,
                                                                                 helpers):
    from check_ledger import check

    account = admin.post("/bank-accounts", json={"name": "校验户", "bank_name": "建设银行",
                                                 "account_no": uuid.uuid4().hex[:20], "currency": "CNY"}).json()
    helpers.rows("finance", "UPDATE bank_accounts SET balance = balance + 0.01 WHERE id = %s RETURNING id",
                 (account["id"],))
    receivable = approved_order()["receivable"]
    try:
        breaches = check(stack.db_prefix)
        rows = breaches["finance: bank balance differs from the sum of its entries"]
        assert [row[:2] for row in rows] == [[account["id"], "0.01"]]
        script = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_ledger.py")], capture_output=True,
                                text=True,
                                env={"CRM_DB_PREFIX": stack.db_prefix, "PATH": "/usr/bin:/bin"})
        assert script.returncode == 1 and account["id"] in script.stdout
        # hide the receivable from its approved order for a moment
        helpers.rows("finance", "UPDATE receivables SET order_id = gen_random_uuid() WHERE id = %s RETURNING id",
                     (receivable["id"],))
        missing = check(stack.db_prefix)[
            "approved order without exactly one receivable for its total (the shipped value once ended)"]
        assert receivable["order_id"] in [row[0] for row in missing]
    finally:
        helpers.rows("finance", "UPDATE bank_accounts SET balance = balance - 0.01 WHERE id = %s RETURNING id",
                     (account["id"],))
        helpers.rows("finance", "UPDATE receivables SET order_id = %s WHERE id = %s RETURNING id",
                     (receivable["order_id"], receivable["id"]))
    assert check(stack.db_prefix) == {}
