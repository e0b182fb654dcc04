"""Finance service: what customers owe per order (应收) and what they paid (收款)."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index, Numeric, String,
                        UniqueConstraint, Uuid, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_common.tables import plumbing_tables
from crm_finance import receivable_rules as rules


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

RECEIPT_METHODS = ("bank_transfer", "cash", "cheque", "other")
PAYMENT_KINDS = ("refund", "field_service_settlement", "expense_reimbursement")
PAYMENT_STATUSES = ("pending", "paid")
Money = Numeric(18, 2)


class Receivable(OwnedColumns, Timestamps, Base):
    """One per order; scope columns are the order's, so its owner keeps seeing what is owed."""
    __tablename__ = "receivables"
    __table_args__ = (
        Index("ix_receivables_scope_created", "branch", "department_path", "created_at"),
        # the last guard against over-receipting, should a code path ever skip the row lock
        CheckConstraint("received >= 0 AND received <= amount", name="ck_receivables_received"),
        CheckConstraint("invoiced >= 0 AND invoiced <= amount", name="ck_receivables_invoiced"),
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

    # receipt numbers are a per-branch sequence: chronological and a total order
    receipts: Mapped[list["Receipt"]] = relationship(order_by="Receipt.number")
    instalments: Mapped[list["Instalment"]] = relationship(order_by="Instalment.position")

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
    bank_account_id: Mapped[str | None] = mapped_column(ForeignKey("bank_accounts.id"), index=True)

    reversal: Mapped["ReceiptReversal | None"] = relationship(lazy="selectin")

    @property
    def reversed(self) -> bool:
        return self.reversal is not None


class BankAccount(OwnedColumns, Timestamps, Base):
    """A company account (银行帐户); `balance` is a cache of the sum of its entries, written only
    together with an entry under the account's row lock (`make check-ledger` verifies it)."""
    __tablename__ = "bank_accounts"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    bank_name: Mapped[str] = mapped_column(String(100))
    account_no: Mapped[str] = mapped_column(String(60), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")


class BankEntry(Base):
    """One movement of money; never updated or deleted. Positive in, negative out."""
    __tablename__ = "bank_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="ck_bank_entries_amount"),
        # a receipt, reversal or payment moves money exactly once
        UniqueConstraint("kind", "source_id", name="uq_bank_entries_source"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    bank_account_id: Mapped[str] = mapped_column(ForeignKey("bank_accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    source_number: Mapped[str] = mapped_column(String(60))
    booked_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)


class ReceiptReversal(Timestamps, Base):
    """Undoes a receipt as a new entry; the unique receipt_id makes a second reversal impossible."""
    __tablename__ = "receipt_reversals"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    reversed_on: Mapped[date] = mapped_column(Date)
    reversed_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))


class OrderLine(Base):
    """Finance's copy of an approved order's lines, so invoices can be split per line."""
    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("invoiced >= 0 AND invoiced <= amount", name="ck_order_lines_invoiced"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)  # the sales line id
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    position: Mapped[int]
    product_name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    invoiced: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))

    @property
    def not_invoiced(self) -> Decimal:
        return self.amount - self.invoiced


class Invoice(OwnedColumns, Timestamps, Base):
    """A sales invoice (开票); `amount` includes tax, numbered per branch and year without gaps."""
    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_invoices_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), index=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    tax_amount: Mapped[Decimal] = mapped_column(Money)
    net_amount: Mapped[Decimal] = mapped_column(Money)
    title: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)

    lines: Mapped[list["InvoiceLine"]] = relationship(order_by="InvoiceLine.position")


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_invoice_lines_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int]
    order_line_id: Mapped[str] = mapped_column(ForeignKey("order_lines.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)


class Instalment(Base):
    """One instalment of a receivable's payment plan (收款计划); together they sum to the amount."""
    __tablename__ = "instalments"
    __table_args__ = (CheckConstraint("amount > 0", name="ck_instalments_amount"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), index=True)
    position: Mapped[int]
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)


class Payment(OwnedColumns, Timestamps, Base):
    """Money going out (FIN-07): opened by an event (return, field-service settlement, customer
    expense), paid once from a bank account by a person."""
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_payments_amount"),
        # a redelivered or repeated source event cannot open a second payment
        UniqueConstraint("kind", "source_id", name="uq_payments_source"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    order_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), index=True)
    payee: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    bank_account_id: Mapped[str | None] = mapped_column(ForeignKey("bank_accounts.id"))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))


class DunningNotice(Base):
    """Which receivables the dunning job already reminded about on which day (one per day)."""
    __tablename__ = "dunning_notices"

    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), primary_key=True)
    run_on: Mapped[date] = mapped_column(Date, primary_key=True)
    days_overdue: Mapped[int]
