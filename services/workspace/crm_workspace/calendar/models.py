"""The calendar (日程安排, WSP-02)."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_workspace.db import Base


class CalendarEvent(OwnedColumns, Timestamps, Base):
    """`shared`: the owner's department (same path and branch) sees it too."""
    __tablename__ = "calendar_events"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ck_calendar_events_ends_after_start"),
        Index("ix_calendar_events_scope_start", "branch", "department_path", "starts_at"),
        Index("ix_calendar_events_owner_start", "owner_id", "starts_at"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
