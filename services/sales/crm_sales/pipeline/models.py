"""Opportunities (SAL-03), their stages and competitor quotes, and competitors (SAL-04)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_sales.db import MONEY, Base


class OpportunityStage(Timestamps, Base):
    """Configurable pipeline stages of the branch; `outcome` marks the won and lost ends."""
    __tablename__ = "opportunity_stages"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    outcome: Mapped[str] = mapped_column(String(10), default="open")  # open | won | lost
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Opportunity(OwnedColumns, Timestamps, Base):
    __tablename__ = "opportunities"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(100))
    stage_id: Mapped[str] = mapped_column(ForeignKey("opportunity_stages.id"))
    probability: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    expected_amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    expected_close_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # open | won | lost
    close_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    competitor_quotes: Mapped[list["CompetitorQuote"]] = relationship(
        order_by="CompetitorQuote.created_at", cascade="all, delete-orphan")


class Competitor(Timestamps, Base):
    """Market knowledge shared by the branch (like products): not owned, no data scope."""
    __tablename__ = "competitors"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    profile: Mapped[str | None] = mapped_column(Text)
    strengths: Mapped[str | None] = mapped_column(Text)
    weaknesses: Mapped[str | None] = mapped_column(Text)
    products: Mapped[list] = mapped_column(JSONB, default=list)  # [{name, price, notes}]
    agents: Mapped[list] = mapped_column(JSONB, default=list)  # [{name, region, contact}]
    branches: Mapped[list] = mapped_column(JSONB, default=list)  # [{name, city}]

    activities: Mapped[list["CompetitorActivity"]] = relationship(
        order_by="CompetitorActivity.happened_on", cascade="all, delete-orphan")


class CompetitorActivity(Base):
    __tablename__ = "competitor_activities"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    competitor_id: Mapped[str] = mapped_column(ForeignKey("competitors.id"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CompetitorQuote(Base):
    """What a competitor offered on one of our opportunities."""
    __tablename__ = "competitor_quotes"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    competitor_id: Mapped[str] = mapped_column(ForeignKey("competitors.id"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OpportunityStageEntry(Base):
    """One stay of an opportunity in a stage (issue 17). Written by the database trigger
    `opportunity_stage_history` (migration 0011) on every insert and every change of `stage_id`,
    so no path that moves an opportunity can forget it; `left_at` is null for the current stage."""
    __tablename__ = "opportunity_stage_history"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    stage_id: Mapped[str] = mapped_column(ForeignKey("opportunity_stages.id"))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
