"""What finance knows of a submitted order, and the advances paid against it."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_finance.db import Base, Money


class OrderFacts(OwnedColumns, Timestamps, Base):
    """An order as sales submitted it (sales.order_submitted): enough to bound and scope its
    advances before the receivable exists. `id` is the order's id; scope columns are the order's."""
    __tablename__ = "order_facts"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))


class AdvanceReceipt(OwnedColumns, Timestamps, Base):
    """预收款: held → applied (a receipt of the order's receivable, `receipt_id`) | refundable →
    refunded (by the payment `payment_id`). Scope columns are the order's."""
    __tablename__ = "advance_receipts"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_advance_receipts_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    # a receipt number (the sequence is the receipts'); the receipt it becomes carries the same one
    number: Mapped[str] = mapped_column(String(60), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("order_facts.id"), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    bank_account_id: Mapped[str | None] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    receipt_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    payment_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
