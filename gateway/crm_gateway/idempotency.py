"""Idempotency keys on POST (ADM-10): a retried create returns the first result, never a second record.

The key is claimed (a row per caller and key) before the request runs; the final answer is
stored with it. A retry with the same key and the same request gets the stored answer; with a
different request, 422; while the first is still running, 409. Answers that say nothing about
the request itself (5xx, 503 dependency down) release the key so the client can try again.
A claim left by a crashed gateway is taken over after STALE_SECONDS.
"""
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Integer, PrimaryKeyConstraint, String, delete, func, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.errors import BadRequest, Conflict, InvalidInput
from crm_common.records import utcnow
from crm_gateway.identity.models import Base

HEADER = "Idempotency-Key"
STALE_SECONDS = 300
RETENTION = timedelta(hours=24)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (PrimaryKeyConstraint("caller_id", "key"),)

    caller_id: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[dict | list | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def validate_key(key: str) -> str:
    if not 1 <= len(key) <= 200 or not key.isprintable():
        raise BadRequest(f"{HEADER} must be 1-200 printable characters")
    return key


def claim(session_factory, caller_id: str, key: str, digest: str):
    """None if this request may run; else the stored (status, body) of the first one."""
    with session_factory() as session, session.begin():
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - RETENTION))
        inserted = session.execute(
            pg_insert(IdempotencyKey).values(caller_id=caller_id, key=key, request_hash=digest)
            .on_conflict_do_nothing().returning(IdempotencyKey.key)).first()
        if inserted:
            return None
        first = session.execute(select(IdempotencyKey).where(
            IdempotencyKey.caller_id == caller_id, IdempotencyKey.key == key).with_for_update()).scalar_one()
        if first.request_hash != digest:
            raise InvalidInput(f"This {HEADER} was used for a different request",
                               {HEADER: ["Already used for another request."]})
        if first.status is not None:
            return first.status, first.body
        if first.created_at > utcnow() - timedelta(seconds=STALE_SECONDS):
            raise Conflict(f"A request with this {HEADER} is still being processed")
        first.created_at = utcnow()  # the first attempt died with its gateway: this one takes over
        return None


def finish(session_factory, caller_id: str, key: str, status: int, body) -> None:
    with session_factory() as session, session.begin():
        if status >= 500:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.caller_id == caller_id,
                                                         IdempotencyKey.key == key))
        else:
            session.execute(update(IdempotencyKey).where(IdempotencyKey.caller_id == caller_id,
                                                         IdempotencyKey.key == key)
                            .values(status=status, body=body))
