"""What customers owe per order (应收), its payment plan, and what they paid (收款)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_finance.db import Base, Money
from crm_finance.receivables import rules


class Receivable(OwnedColumns, Timestamps, Base):
    """One per order; scope columns are the order's, so its owner keeps seeing what is owed."""
    __tablename__ = "receivables"
    __table_args__ = (
        Index("ix_receivables_scope_created", "branch", "department_path", "created_at"),
        # the list's first page for scope `all`: newest first without sorting the table
        Index("ix_receivables_created", "created_at", "id"),
        # the last guard against over-receipting, should a code path ever skip the row lock
        # what was received or invoiced beyond an amount cut by the order's end is owed back
        CheckConstraint("received >= 0 AND received <= amount + refund_due", name="ck_receivables_received"),
        CheckConstraint("invoiced >= 0 AND invoiced <= amount + red_invoice_due", name="ck_receivables_invoiced"),
        # the ageing report and the dunning job read only what is still owed
        Index("ix_receivables_unpaid_due", "due_date", postgresql_where="status <> 'paid'"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), unique=True)
    order_number: Mapped[str] = mapped_column(String(40))
    fulfilment_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    invoiced: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    status: Mapped[str] = mapped_column(String(20), index=True)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    # set when the order ended before everything shipped (docs/logistics-finance.md, "Ending an order")
    original_amount: Mapped[Decimal | None] = mapped_column(Money)
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refund_due: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    red_invoice_due: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")

    # receipt numbers are a per-branch sequence: chronological and a total order
    receipts: Mapped[list["Receipt"]] = relationship(order_by="Receipt.number")
    instalments: Mapped[list["Instalment"]] = relationship(order_by="Instalment.position")

    @property
    def outstanding(self) -> Decimal:
        return rules.outstanding(self.amount, self.received)


class Instalment(Base):
    """One instalment of a receivable's payment plan (收款计划); together they sum to the amount."""
    __tablename__ = "instalments"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_instalments_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), index=True)
    position: Mapped[int]
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)


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
    bank_account_id: Mapped[str | None] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    # recorded; or held for a configured approval flow (SAL-07): pending_approval, then recorded,
    # rejected or withdrawn. Only a recorded receipt counts in its receivable and bank account.
    status: Mapped[str] = mapped_column(String(20), server_default="recorded", default="recorded")
    approval_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    approval_note: Mapped[str | None] = mapped_column(String(2000))
    # the advance (预收款) this receipt was before the receivable opened; unique: applied once
    advance_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), unique=True)

    reversal: Mapped["ReceiptReversal | None"] = relationship(lazy="selectin")

    @property
    def reversed(self) -> bool:
        return self.reversal is not None


class ReceiptReversal(Timestamps, Base):
    """Undoes a receipt as a new entry; the unique receipt_id makes a second reversal impossible."""
    __tablename__ = "receipt_reversals"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    reversed_on: Mapped[date] = mapped_column(Date)
    reversed_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
