"""Operation log (操作日志, ADM-05): every change through the gateway, append-only.

No route updates or deletes entries, and the table itself refuses UPDATE and DELETE (trigger in
migration 0002), so not even a bug in the gateway can rewrite history.
"""
from dataclasses import dataclass
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy import BigInteger, DateTime, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_gateway.identity.models import Base

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class OperationLogEntry(Base):
    __tablename__ = "operation_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    username: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(200), index=True)  # "POST /orders/<id>/approve"
    target_id: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))
    correlation_id: Mapped[str] = mapped_column(String(100), index=True)
    client_ip: Mapped[str | None] = mapped_column(String(64))


@dataclass
class PendingEntry:
    """Filled in while a request is handled; written once its response status is known."""
    action: str
    correlation_id: str
    client_ip: str
    principal: Principal | None = None
    target_id: str | None = None


def record(session_factory, entry: PendingEntry, status: int) -> None:
    with session_factory() as session, session.begin():
        session.add(OperationLogEntry(
            user_id=entry.principal.user_id if entry.principal else None,
            username=entry.principal.username if entry.principal else None,
            action=entry.action, target_id=entry.target_id, status=status,
            outcome="success" if status < 400 else "failure", correlation_id=entry.correlation_id,
            client_ip=entry.client_ip))


class OperationLogQuery(ListQuery):
    user_id = fields.UUID()
    action = fields.String(validate=validate.Length(min=1, max=200))
    target_id = fields.String(validate=validate.Length(min=1, max=100))
    outcome = fields.String(validate=validate.OneOf(["success", "failure"]))
    correlation_id = fields.String(validate=validate.Length(min=1, max=100))
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()


class OperationLogOut(Schema):
    id = fields.Integer()
    occurred_at = fields.DateTime()
    user_id = fields.String()
    username = fields.String()
    action = fields.String()
    target_id = fields.String()
    status = fields.Integer()
    outcome = fields.String()
    correlation_id = fields.String()
    client_ip = fields.String()


SORTS = {"occurred_at": OperationLogEntry.occurred_at}


def query(session_factory, principal: Principal, params) -> dict:
    principal.require("admin.audit")
    q = load_query(OperationLogQuery(), params)
    stmt = select(OperationLogEntry)
    if "user_id" in q:
        stmt = stmt.where(OperationLogEntry.user_id == str(q["user_id"]))
    for name in ("action", "target_id", "outcome", "correlation_id"):
        if name in q:
            stmt = stmt.where(getattr(OperationLogEntry, name) == q[name])
    if "since" in q:
        stmt = stmt.where(OperationLogEntry.occurred_at >= q["since"])
    if "until" in q:
        stmt = stmt.where(OperationLogEntry.occurred_at < q["until"])
    with session_factory() as session:
        rows, cursor = keyset_page(session, stmt, OperationLogEntry.id, q, SORTS, "-occurred_at")
        return {"items": OperationLogOut(many=True).dump(rows), "next_cursor": cursor}
