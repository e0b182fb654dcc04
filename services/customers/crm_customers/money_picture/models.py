"""What the customers service knows of other services' money, one row per order and receivable.

Events may arrive in any order (each handler has its own queue and retries on its own), so every
row is an upsert keyed by the other service's id, and each event fills only its own columns: a
receipt seen before its receivable's opening, or a closing before its approval, still adds up.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, Index, Numeric, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from crm_customers.db import Base


class OrderFigure(Base):
    __tablename__ = "money_orders"
    __table_args__ = (Index("ix_money_orders_open", "customer_id",
                            postgresql_where=text("approved_at IS NOT NULL AND ended_at IS NULL")),
                      # a customer's deals, for the pools' "no deal for N days" (pool.recycling)
                      Index("ix_money_orders_customer", "customer_id"))

    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))  # known from the approval on
    total: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # completed or closed
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class ReceivableFigure(Base):
    __tablename__ = "money_receivables"
    __table_args__ = (Index("ix_money_receivables_customer", "customer_id", "due_date"),)

    receivable_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))  # known from the opening on
    amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    due_date: Mapped[date | None] = mapped_column(Date)
    received: Mapped[Decimal] = mapped_column(Numeric(18, 2), server_default=text("0"))  # receipts − reversals
    # the shipped value, once the order ended before everything shipped (finance.receivable_reduced);
    # kept apart from `amount` so an opening that arrives after it cannot undo it
    reduced_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
