"""What customers events add to the report rollups: pure, one function per event.

Metrics (docs/reports.md), on the branch day:
- `follow_ups` (key = method: visit, call, …): follow-ups written, counted for their author;
- `leads.created` / `leads.converted`: leads entered and leads turned into customers (with the
  days from entry to conversion);
- `pool.in` (key = released | recycled): customers that fell back to the pool, counted for the
  owner who lost them; `pool.out` (key = claimed | assigned): taken from the pool, for the new owner.
"""
from datetime import datetime
from decimal import Decimal

from crm_common.report_figures import Delta, local_day

SYSTEM_USER_ID = "00000000-0000-0000-0000-000000000000"  # the pool's owner (crm_common.principal)


def _scope(data: dict) -> tuple:
    return data["owner_id"], data["department_path"], data["branch"]


def interaction_recorded(data: dict) -> list[Delta]:
    return [Delta("follow_ups", local_day(data["occurred_at"]), *_scope(data), key=data["kind"], count=1)]


def lead_created(data: dict) -> list[Delta]:
    return [Delta("leads.created", local_day(data["created_at"]), *_scope(data), count=1)]


def lead_converted(data: dict) -> list[Delta]:
    days = (local_day(data["converted_at"]) - local_day(data["created_at"])).days
    return [Delta("leads.converted", local_day(data["converted_at"]), *_scope(data), count=1, days=Decimal(days))]


def owner_changed(data: dict, occurred_at: datetime) -> list[Delta]:
    day = local_day(occurred_at)
    if data["in_pool"]:
        return [Delta("pool.in", day, data["previous_owner_id"], data["department_path"], data["branch"],
                      key=data["reason"], count=1)]
    if data["previous_owner_id"] == SYSTEM_USER_ID:
        return [Delta("pool.out", day, *_scope(data), key=data["reason"], count=1)]
    return []  # a transfer between owners moves no one in or out of the pool


def conversion_rate(converted: int, created: int) -> Decimal | None:
    return (Decimal(converted) * 100 / created).quantize(Decimal("0.01")) if created else None
