"""The personal desk: calendar, business diary, work plans and reminders (WSP-02, 05, 07)."""
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.models import Base

PLAN_PERIODS = ("daily", "weekly", "monthly")
REMINDER_STATUSES = ("pending", "fired", "done")


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


class DiaryEntry(OwnedColumns, Timestamps, Base):
    """Business diary (业务日记): what the owner did that day."""
    __tablename__ = "diary_entries"
    __table_args__ = (Index("ix_diary_entries_scope_date", "branch", "department_path", "entry_date"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    entry_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)


class Plan(OwnedColumns, Timestamps, Base):
    """Daily/weekly/monthly work plan (工作计划); period_start is the first day of the period."""
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint("period IN ('daily', 'weekly', 'monthly')", name="ck_plans_period"),
        Index("ix_plans_scope_start", "branch", "department_path", "period_start"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)


class PlanRecord(Base):
    """A work record against a plan; scoped through its plan."""
    __tablename__ = "plan_records"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    content: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


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
