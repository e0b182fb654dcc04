"""What finance events add to the report rollups: pure, one function per event.

Metrics (docs/reports.md), on the branch day:
- `receipts`: receipts recorded (on the day received) and reversed (a negative one, on the day
  of the reversal), count and amount;
- `invoices`: invoices issued and red-letter ones taking back (negative), count and amount.
"""
from datetime import datetime
from decimal import Decimal

from crm_common.report_figures import Delta, local_day


def _delta(metric: str, data: dict, day, sign: int) -> list[Delta]:
    return [Delta(metric, day, data["owner_id"], data["department_path"], data["branch"],
                  currency=data["currency"], count=sign, amount=sign * Decimal(data["amount"]))]


def receipt_recorded(data: dict, occurred_at: datetime) -> list[Delta]:
    return _delta("receipts", data, data.get("received_on") or local_day(occurred_at), +1)


def receipt_reversed(data: dict, occurred_at: datetime) -> list[Delta]:
    return _delta("receipts", data, local_day(occurred_at), -1)


def invoice_issued(data: dict, occurred_at: datetime) -> list[Delta]:
    return _delta("invoices", data, local_day(occurred_at), +1)


def invoice_reversed(data: dict, occurred_at: datetime) -> list[Delta]:
    return _delta("invoices", data, local_day(occurred_at), -1)
