"""Planning: campaigns with their costs, tasks and leads (SAL-11), and sales targets (SAL-10)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_sales.db import MONEY, Base


class Campaign(OwnedColumns, Timestamps, Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(100))  # exhibition, seminar, online, ...
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    participants: Mapped[list] = mapped_column(JSONB, default=list)  # user ids

    costs: Mapped[list["CampaignCost"]] = relationship(order_by="CampaignCost.created_at",
                                                       cascade="all, delete-orphan")
    tasks: Mapped[list["CampaignTask"]] = relationship(order_by="CampaignTask.created_at",
                                                       cascade="all, delete-orphan")
    leads: Mapped[list["CampaignLead"]] = relationship(order_by="CampaignLead.created_at",
                                                       cascade="all, delete-orphan")


class CampaignCost(Base):
    __tablename__ = "campaign_costs"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    spent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CampaignTask(Base):
    __tablename__ = "campaign_tasks"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    assignee_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CampaignLead(Base):
    """A customer (lead) the campaign brought; its orders count towards the campaign's return."""
    __tablename__ = "campaign_leads"
    __table_args__ = (UniqueConstraint("campaign_id", "customer_id"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Target(OwnedColumns, Timestamps, Base):
    """A sales target for one rep (`subject` user: owner_id is the rep) or one department
    (`subject` department: the whole subtree under department_path counts)."""
    __tablename__ = "targets"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # user | department
    period: Mapped[str] = mapped_column(String(10))  # 2026, 2026-Q3, 2026-07
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # exclusive
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    created_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # no longer pursued
