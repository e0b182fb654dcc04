"""Tables every service database carries for the event plumbing, document numbers and the
answers of requests sent with an Idempotency-Key.

Each service calls `plumbing_tables(Base.metadata)` so these live in its own database.
"""
from sqlalchemy import (BigInteger, Column, DateTime, Integer, MetaData, PrimaryKeyConstraint,
                        String, Table, Text, Uuid, func)
from sqlalchemy.dialects.postgresql import JSONB


def plumbing_tables(metadata: MetaData) -> dict[str, Table]:
    outbox = Table(
        "outbox", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("event_id", Uuid(as_uuid=False), nullable=False, unique=True),
        Column("name", String(100), nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    processed_events = Table(
        "processed_events", metadata,
        Column("event_id", Uuid(as_uuid=False), nullable=False),
        Column("handler", String(200), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("event_id", "handler"),
    )
    dead_letters = Table(
        "dead_letters", metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("queue", String(255), nullable=False),
        Column("event_name", String(100)),
        Column("event_id", Uuid(as_uuid=False)),
        Column("headers", JSONB, nullable=False),
        Column("body", JSONB),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("replayed_at", DateTime(timezone=True)),
    )
    document_counters = Table(
        "document_counters", metadata,
        Column("prefix", String(40), nullable=False),
        Column("year", Integer, nullable=False),
        Column("value", BigInteger, nullable=False),
        PrimaryKeyConstraint("prefix", "year"),
    )
    # What an administrator set for a document type in this branch (crm_common.numbering); no row
    # is the default rule.
    numbering_rules = Table(
        "numbering_rules", metadata,
        Column("document_type", String(40), primary_key=True),
        Column("prefix", String(10), nullable=False),
        Column("date_part", String(10), nullable=False),
        Column("digits", Integer, nullable=False),
        Column("reset", String(10), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    # Written in the same transaction as the request's effect, so "done" and "answer known" can
    # never disagree, whatever crashes between the service, the gateway and the client.
    idempotent_requests = Table(
        "idempotent_requests", metadata,
        Column("key", String(400), primary_key=True),
        Column("request_hash", String(64), nullable=False),
        Column("answer", JSONB),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now(), index=True),
    )
    return {t.name: t for t in (outbox, processed_events, dead_letters, document_counters, idempotent_requests,
                                numbering_rules)}


# What each service's first migration created; later plumbing tables come with a migration of their own.
INITIAL = ("outbox", "processed_events", "dead_letters", "document_counters")


def create_plumbing_tables(bind, names=INITIAL) -> None:
    metadata = MetaData()
    tables = plumbing_tables(metadata)
    metadata.create_all(bind, tables=[tables[name] for name in names])


def drop_plumbing_tables(bind, names=INITIAL) -> None:
    metadata = MetaData()
    tables = plumbing_tables(metadata)
    metadata.drop_all(bind, tables=[tables[name] for name in names])
