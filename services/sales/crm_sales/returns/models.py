"""Returns (SAL-09): goods coming back against an approved order's lines."""
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_sales.db import MONEY, QUANTITY, Base


class Return(OwnedColumns, Timestamps, Base):
    """SAL-09: goods coming back against an approved order; scoped like the order it belongs to."""
    __tablename__ = "returns"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text)
    total: Mapped[Decimal] = mapped_column(MONEY)
    decision_comment: Mapped[str | None] = mapped_column(Text)

    lines: Mapped[list["ReturnLine"]] = relationship(order_by="ReturnLine.line_no", cascade="all, delete-orphan")


class ReturnLine(Base):
    __tablename__ = "return_lines"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    order_line_id: Mapped[str] = mapped_column(ForeignKey("order_lines.id"), index=True)
    product_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)
    amount: Mapped[Decimal] = mapped_column(MONEY)
