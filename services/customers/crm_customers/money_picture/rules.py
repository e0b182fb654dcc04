"""Rules of the money picture: standard library and crm_common pure helpers only."""
from datetime import datetime, tzinfo

from crm_common.branch_time import days_until


def protection_days_left(recycle_due_at: datetime | None, in_pool: bool, now: datetime, zone: tzinfo) -> int | None:
    """Whole calendar days until the customer falls back to the pool (0 once the day has come);
    None in the pool or when no recycle rule applies to it (no due date)."""
    if in_pool or recycle_due_at is None:
        return None
    return max(days_until(recycle_due_at, now, zone), 0)
