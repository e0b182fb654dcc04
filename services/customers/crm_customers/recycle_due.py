"""When each customer falls back to the pool (CUS-07), kept in `customers.recycle_due_at`.

Due = the later of the end of the protection period and last activity + N days, N from the
rule of the customer's value level (or the '*' rule); no rule → never recycled. Stored rather
than computed at query time so the scheduled job is an index range scan at any table size.
"""
from sqlalchemy import text

_RULE = """(SELECT {expr} FROM recycle_rules r
             WHERE r.value_level IN (coalesce(c.value_level, '*'), '*')
             ORDER BY (r.value_level = '*') LIMIT 1)"""
DUE_SQL = _RULE.format(expr="GREATEST(coalesce(c.protected_until, c.last_activity_at), "
                            "c.last_activity_at + make_interval(days => r.days_without_followup))")
NOTICE_SQL = _RULE.format(expr="r.notice_days")
PROTECTION_SQL = _RULE.format(expr="r.protection_days")


def refresh_due(session, customer_id: str | None = None) -> None:
    """Recompute for one customer, or for every owned live customer (after a rule change)."""
    where = "c.id = :id" if customer_id else "c.deleted_at IS NULL AND NOT c.in_pool"
    session.execute(text(f"UPDATE customers c SET recycle_due_at = {DUE_SQL} WHERE {where}"),
                    {"id": customer_id} if customer_id else {})


def protection_days(session, customer_id: str) -> int:
    value = session.execute(text(f"SELECT {PROTECTION_SQL} FROM customers c WHERE c.id = :id"),
                            {"id": customer_id}).scalar()
    return value or 0
