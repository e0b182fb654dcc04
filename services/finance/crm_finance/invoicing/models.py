"""Invoices (开票), buyer title profiles (发票抬头) and finance's copy of the approved order lines
they split."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_finance.db import Base, Money
from crm_finance.invoicing.rules import SPECIAL_TYPES, TITLE_FIELDS, missing_title_fields


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


class BuyerTitle(OwnedColumns, Timestamps, Base):
    """A buyer title profile (发票抬头) of a customer: what a fapiao prints of the buyer."""
    __tablename__ = "buyer_titles"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    name: Mapped[str] = mapped_column(String(200))
    taxpayer_number: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    bank_name: Mapped[str | None] = mapped_column(String(200))
    bank_account: Mapped[str | None] = mapped_column(String(40))

    def snapshot(self) -> dict:
        return {field: getattr(self, field) for field in TITLE_FIELDS}

    @property
    def complete(self) -> bool:
        return not missing_title_fields(SPECIAL_TYPES[0], self.snapshot())


class Invoice(OwnedColumns, Timestamps, Base):
    """A sales invoice (开票); `amount` includes tax. Blue invoices bill the order; a red one
    (红字发票, negative amounts) reverses part or all of the blue one it names. The internal number
    is given at issue, per branch without gaps; the fapiao number is the tax system's."""
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("(kind = 'blue' AND amount > 0) OR (kind = 'red' AND amount < 0)", name="ck_invoices_amount"),
        CheckConstraint("reversed_amount >= 0 AND reversed_amount <= amount OR kind = 'red'",
                        name="ck_invoices_reversed"),
        Index("ix_invoices_fapiao_number", "fapiao_number", unique=True,
              postgresql_where=text("fapiao_number IS NOT NULL")),
        # the list's first page for scope `all`: newest first without sorting the table
        Index("ix_invoices_created", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(10), server_default="blue")
    status: Mapped[str] = mapped_column(String(20), server_default="issued")
    invoice_type: Mapped[str] = mapped_column(String(20), server_default="vat_normal")
    buyer_title_id: Mapped[str | None] = mapped_column(ForeignKey("buyer_titles.id"))
    buyer: Mapped[dict | None] = mapped_column(JSONB)  # the title as issued, whatever changes later
    original_invoice_id: Mapped[str | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    reversed_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    reversed_tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    fapiao_number: Mapped[str | None] = mapped_column(String(30))
    fapiao_date: Mapped[date | None] = mapped_column(Date)
    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), index=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Money)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    tax_amount: Mapped[Decimal] = mapped_column(Money)
    net_amount: Mapped[Decimal] = mapped_column(Money)
    title: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)  # a draft's: the day it was drafted
    # held for a configured approval flow (SAL-07): the engine's approval, and why it came back
    approval_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    approval_note: Mapped[str | None] = mapped_column(String(2000))

    lines: Mapped[list["InvoiceLine"]] = relationship(order_by="InvoiceLine.position")

    @property
    def not_reversed(self) -> Decimal:
        return self.amount - self.reversed_amount


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("amount <> 0", name="ck_invoice_lines_amount"),
                      CheckConstraint("reversed >= 0 AND (amount < 0 OR reversed <= amount)",
                                      name="ck_invoice_lines_reversed"))

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int]
    order_line_id: Mapped[str] = mapped_column(ForeignKey("order_lines.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    tax_amount: Mapped[Decimal] = mapped_column(Money)
    reversed: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
    reversed_tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0), server_default="0")
