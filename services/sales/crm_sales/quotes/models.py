"""Quotes (SAL-05): the quote, its lines, and what it said before each revision."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_sales.db import MONEY, QUANTITY, Base


class Quote(OwnedColumns, Timestamps, Base):
    __tablename__ = "quotes"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_level: Mapped[str | None] = mapped_column(String(40))
    max_discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_over_limit: Mapped[bool] = mapped_column(Boolean)
    currency: Mapped[str] = mapped_column(String(3))
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | converted | cancelled
    revision: Mapped[int] = mapped_column(Integer, default=1)
    total: Mapped[Decimal] = mapped_column(MONEY)
    notes: Mapped[str | None] = mapped_column(Text)
    order_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list["QuoteLine"]] = relationship(order_by="QuoteLine.line_no", cascade="all, delete-orphan")
    revisions: Mapped[list["QuoteRevision"]] = relationship(order_by="QuoteRevision.revision",
                                                            cascade="all, delete-orphan")


class QuoteLine(Base):
    __tablename__ = "quote_lines"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    product_code: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    list_price: Mapped[Decimal] = mapped_column(MONEY)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    pricing_note: Mapped[str | None] = mapped_column(Text)


class QuoteRevision(Base):
    """What a quote said before each revision: lines and total as the customer saw them."""
    __tablename__ = "quote_revisions"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    quote_id: Mapped[str] = mapped_column(ForeignKey("quotes.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
