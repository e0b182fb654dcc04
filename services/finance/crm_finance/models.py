"""Finance service: what customers owe per order (应收) and what they paid (收款)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_common.tables import plumbing_tables
from crm_finance import receivable_rules as rules


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

RECEIPT_METHODS = ("bank_transfer", "cash", "cheque", "other")
Money = Numeric(18, 2)


class Receivable(OwnedColumns, Timestamps, Base):
    """One per order; scope columns are the order's, so its owner keeps seeing what is owed."""
    __tablename__ = "receivables"
    __table_args__ = (
        Index("ix_receivables_scope_created", "branch", "department_path", "created_at"),
        # the last guard against over-receipting, should a code path ever skip the row lock
        CheckConstraint("received >= 0 AND received <= amount", name="ck_receivables_received"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), unique=True)
    order_number: Mapped[str] = mapped_column(String(40))
    fulfilment_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(20), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)

    # receipt numbers are a per-branch sequence: chronological and a total order
    receipts: Mapped[list["Receipt"]] = relationship(order_by="Receipt.number")

    @property
    def outstanding(self) -> Decimal:
        return rules.outstanding(self.amount, self.received)


class Receipt(OwnedColumns, Timestamps, Base):
    """Scope columns are copied from the receivable: who sees the debt sees its payments."""
    __tablename__ = "receipts"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_receipts_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), index=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
