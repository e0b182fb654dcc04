"""What approved orders allow to ship (履约) and what was shipped (发货)."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_logistics.db import Base, Money, Quantity
from crm_logistics.shipping import rules


class Fulfilment(OwnedColumns, Timestamps, Base):
    """One per approved order; scope columns are the order's, so its owner keeps seeing it."""
    __tablename__ = "fulfilments"
    __table_args__ = (Index("ix_fulfilments_scope_created", "branch", "department_path", "created_at"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), unique=True)
    order_number: Mapped[str] = mapped_column(String(40))
    customer_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_reason: Mapped[str | None] = mapped_column(String(200))

    lines: Mapped[list["FulfilmentLine"]] = relationship(order_by="FulfilmentLine.position")


class FulfilmentLine(Base):
    __tablename__ = "fulfilment_lines"
    __table_args__ = (
        # the last guard against over-shipping, should a code path ever skip the row lock
        CheckConstraint("shipped >= 0 AND shipped <= ordered", name="ck_fulfilment_lines_shipped"),
        CheckConstraint("released >= 0 AND shipped + released <= ordered", name="ck_fulfilment_lines_released"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    fulfilment_id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    position: Mapped[int]
    order_line_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    product_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    product_name: Mapped[str] = mapped_column(String(200))
    ordered: Mapped[Decimal] = mapped_column(Quantity)
    shipped: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    # what the order's end let go of: never to be shipped
    released: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0), server_default="0")

    @property
    def remaining(self) -> Decimal:
        return rules.remaining(self.ordered, self.shipped, self.released)


class Shipment(OwnedColumns, Timestamps, Base):
    """Scope columns are copied from the fulfilment: who sees the order sees its shipments."""
    __tablename__ = "shipments"
    __table_args__ = (Index("ix_shipments_carrier_shipped", "carrier_id", "shipped_at"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    fulfilment_id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    order_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    status: Mapped[str] = mapped_column(String(20))
    carrier_id: Mapped[str | None] = mapped_column(ForeignKey("carriers.id"))
    carrier: Mapped[str | None] = mapped_column(String(100))
    tracking_no: Mapped[str | None] = mapped_column(String(100))
    freight_fee: Mapped[Decimal | None] = mapped_column(Money)
    freight_currency: Mapped[str | None] = mapped_column(String(3))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list["ShipmentLine"]] = relationship(order_by="ShipmentLine.position")


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_shipment_lines_quantity"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id"), index=True)
    position: Mapped[int]
    fulfilment_line_id: Mapped[str] = mapped_column(ForeignKey("fulfilment_lines.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)

    fulfilment_line: Mapped[FulfilmentLine] = relationship(lazy="joined")
