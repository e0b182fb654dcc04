"""Invoices (开票) and finance's copy of the approved order lines they split."""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_finance.db import Base, Money


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
