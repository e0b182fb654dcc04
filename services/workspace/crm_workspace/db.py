"""The service's declarative Base, and the lookups several areas share.

Each area's models.py puts its tables on `Base.metadata`; migrations/env.py imports every area's
models so alembic (and the customer-merge follower) sees them all.
"""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import DeclarativeBase

from crm_common.errors import NotFound
from crm_common.records import is_uuid, utcnow
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)


def find_visible(session, model, record_id, condition, *, label=None, for_update=False):
    """One record under a visibility condition: absent and invisible both answer 404."""
    label = label or model.__name__
    if not is_uuid(record_id):
        raise NotFound(f"{label} not found")
    stmt = select(model).where(model.id == str(record_id), condition)
    if for_update:
        stmt = stmt.with_for_update()
    record = session.execute(stmt).scalar_one_or_none()
    if record is None:
        raise NotFound(f"{label} not found")
    return record


def apply_patch(record, data: dict) -> None:
    for key, value in data.items():
        setattr(record, key, value)


# Per-user read state, shared by announcement receipts and notification reads: both tables are
# (<thing>_id, user_id, read_at) with that pair as primary key.

def mark_read(session, model, key, key_value: str, user_id: str):
    """Record the first read and return its row; reading again keeps the first time."""
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
