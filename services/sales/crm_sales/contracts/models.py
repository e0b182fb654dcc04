"""Contracts (SAL-08) and their history of change orders, terminations and closes."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_sales.db import MONEY, Base


class Contract(OwnedColumns, Timestamps, Base):
    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # service | product
    title: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_level: Mapped[str | None] = mapped_column(String(40))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    # [{"user_id": ..., "percent": "60.00"}, ...] summing to 100 (销售计提)
    commission_split: Mapped[list] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), index=True)
    renewal_of: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    end_reason: Mapped[str | None] = mapped_column(Text)
    # The end date a reminder was last sent for: reminders are sent once per end date.
    reminded_end_date: Mapped[date | None] = mapped_column(Date)

    changes: Mapped[list["ContractChange"]] = relationship(order_by="ContractChange.created_at",
                                                           cascade="all, delete-orphan")


class ContractChange(Base):
    """A change order (变更单), termination (终止单) or close, kept as the contract's history.

    Change orders and terminations wait for their own approval (`pending`) and take effect when
    it approves them (`applied`) or never (`rejected`); `after` holds the terms they lead to.
    A contract has at most one pending one, so `before` is still true when it applies.
    """
    __tablename__ = "contract_changes"
    __table_args__ = (Index("ux_contract_changes_pending", "contract_id", unique=True,
                            postgresql_where=text("status = 'pending'")),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    before: Mapped[dict] = mapped_column(JSONB)
    after: Mapped[dict] = mapped_column(JSONB)
    actor_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), server_default="applied")
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
