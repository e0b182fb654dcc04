"""Stars (关注, issue 17): a user marks a record to find it again; the list's `starred=true`
shows only those. Each service keeps its users' stars beside its records, in one table for
every kind it stars, so the filter is an EXISTS in the list's own query.

A star is personal: whoever may read a record may star it, and only they see their star.
"""
from marshmallow import Schema, fields
from sqlalchemy import Column, DateTime, MetaData, PrimaryKeyConstraint, String, Table, Uuid, delete, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert


def stars_table(metadata: MetaData) -> Table:
    return Table(
        "stars", metadata,
        Column("user_id", Uuid(as_uuid=False), nullable=False),
        Column("kind", String(30), nullable=False),
        Column("record_id", Uuid(as_uuid=False), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("user_id", "kind", "record_id"),
    )


class StarOut(Schema):
    id = fields.String()  # the record's
    starred = fields.Boolean()


def set_star(session, table: Table, user_id: str, kind: str, record_id: str, starred: bool) -> dict:
    """Idempotent both ways: starring twice is one star, unstarring an unstarred record is nothing."""
    if starred:
        session.execute(pg_insert(table).values(user_id=user_id, kind=kind, record_id=record_id)
                        .on_conflict_do_nothing())
    else:
        session.execute(delete(table).where(table.c.user_id == user_id, table.c.kind == kind,
                                            table.c.record_id == record_id))
    return StarOut().dump({"id": record_id, "starred": starred})


def starred_filter(table: Table, user_id: str, kind: str, id_column, wanted: bool):
    """A list's `starred=` condition on its records' id column."""
    mine = exists().where(table.c.user_id == user_id, table.c.kind == kind, table.c.record_id == id_column)
    return mine if wanted else ~mine


def mark(session, table: Table, user_id: str, kind: str, items: list[dict]) -> list[dict]:
    """Each item of a page with `starred`: one query for the page."""
    ids = [item["id"] for item in items]
    starred = set(session.execute(select(table.c.record_id).where(
        table.c.user_id == user_id, table.c.kind == kind, table.c.record_id.in_(ids))).scalars()) if ids else set()
    for item in items:
        item["starred"] = item["id"] in starred
    return items
