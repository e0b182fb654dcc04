"""Goods coming back for returns approved in sales (退货入库)."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_logistics.db import Base, Quantity


class GoodsReturn(OwnedColumns, Timestamps, Base):
    """Goods coming back for a return approved in sales (LOG-05)."""
    __tablename__ = "goods_returns"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    return_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), unique=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    status: Mapped[str] = mapped_column(String(20), index=True)

    lines: Mapped[list["GoodsReturnLine"]] = relationship(order_by="GoodsReturnLine.position")


class GoodsReturnLine(Base):
    __tablename__ = "goods_return_lines"
    __table_args__ = (CheckConstraint("received >= 0 AND received <= expected", name="ck_goods_return_lines_received"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    goods_return_id: Mapped[str] = mapped_column(ForeignKey("goods_returns.id"), index=True)
    position: Mapped[int]
    order_line_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    product_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    expected: Mapped[Decimal] = mapped_column(Quantity)
    received: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
