"""Tables of the public pool (CUS-07): recycle rules, claim limit, extension requests."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class RecycleRule(Base):
    """Per value level: recycle after N days without follow-up, warn the owner M days before."""
    __tablename__ = "recycle_rules"

    value_level: Mapped[str] = mapped_column(String(40), primary_key=True)
    days_without_followup: Mapped[int] = mapped_column(Integer)
    notice_days: Mapped[int] = mapped_column(Integer)
    protection_days: Mapped[int] = mapped_column(Integer)


class PoolSettings(Base):
    __tablename__ = "pool_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    daily_claim_limit: Mapped[int] = mapped_column(Integer)


class ExtensionRequest(Timestamps, Base):
    """An owner asks for a longer protection period (延期); the sales approval engine decides."""
    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extension_requests_customer", "customer_id", "status"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    requested_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # pending, approved, rejected, withdrawn (pool.rules.EXTENSION)
    decided_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(String(2000))  # the approval engine's limit


class ReminderSent(Base):
    """One row per reminder emitted: the scheduled job is idempotent across runs and replicas."""
    __tablename__ = "reminders_sent"

    source_kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # birthday, important_date
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    occurs_on: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class HandOver(Base):
    """A departing user's records handed to a colleague in one action (crm_common.handovers):
    `counts` per service ({"sales": {"orders": 2, ...}}), filled as each service answers;
    done once every service has."""
    __tablename__ = "handovers"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    from_user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    to_user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    requested_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    branch: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # running, done (pool.rules.handover_status)
    counts: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
