"""The reminder centre (提醒中心, WSP-07): personal to-dos that fire on time."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_workspace.db import Base


class Reminder(OwnedColumns, Timestamps, Base):
    """A to-do of its owner. `source_key` makes reminders made from events idempotent per fact
    (one reminder per receivable and ageing bucket, per contract expiry, ...)."""
    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'fired', 'done')", name="ck_reminders_status"),
        # the timer's query: pending reminders that are due
        Index("ix_reminders_pending_due", "due_at", postgresql_where="status = 'pending'"),
        Index("ix_reminders_owner_due", "owner_id", "due_at"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    fired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(50), default="manual")
    source_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    link: Mapped[str | None] = mapped_column(String(300))
