"""Per-user read state, shared by announcement receipts and notification reads.

Both tables are (<thing>_id, user_id, read_at) with that pair as primary key.
"""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.records import utcnow


def mark(session, model, key, key_value: str, user_id: str):
    """Record the first read and return its read_at; reading again keeps the first time."""
    # ON CONFLICT DO NOTHING instead of check-then-insert: two clicks at once must not fail
    session.execute(pg_insert(model).values(
        {key.key: key_value, "user_id": user_id, "read_at": utcnow()}).on_conflict_do_nothing())
    return session.execute(
        select(model).where(key == key_value, model.user_id == user_id)).scalar_one()


def read_ids(session, model, key, key_values, user_id: str) -> set[str]:
    """Which of `key_values` this user has read (one query for a whole page)."""
    if not key_values:
        return set()
    return set(session.execute(
        select(key).where(key.in_(key_values), model.user_id == user_id)).scalars())


def unread_only(model, key, outer_id, user_id: str):
    """Condition on the outer query: no read row of this user for `outer_id`."""
    return ~select(model).where(key == outer_id, model.user_id == user_id).exists()


def items_with_read(schema, rows, read: set[str]) -> list[dict]:
    return [dict(schema.dump(row), read=row.id in read) for row in rows]
