"""The business diary (业务日记) and work plans (工作计划), WSP-05."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.db import Base


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
