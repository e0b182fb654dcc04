"""Logistics service: what approved orders allow to ship (履约) and what was shipped (发货)."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Numeric, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_common.tables import plumbing_tables
from crm_logistics import shipping_rules as rules


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

FULFILMENT_STATUSES = (rules.OPEN, rules.COMPLETED)
SHIPMENT_STATUSES = (rules.PENDING, rules.SHIPPED, rules.DELIVERED, rules.CANCELLED)
Quantity = Numeric(14, 3)
Money = Numeric(18, 2)


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

    lines: Mapped[list["FulfilmentLine"]] = relationship(order_by="FulfilmentLine.position")


class FulfilmentLine(Base):
    __tablename__ = "fulfilment_lines"
    __table_args__ = (
        # the last guard against over-shipping, should a code path ever skip the row lock
        CheckConstraint("shipped >= 0 AND shipped <= ordered", name="ck_fulfilment_lines_shipped"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    fulfilment_id: Mapped[str] = mapped_column(ForeignKey("fulfilments.id"), index=True)
    position: Mapped[int]
    order_line_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    product_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    product_name: Mapped[str] = mapped_column(String(200))
    ordered: Mapped[Decimal] = mapped_column(Quantity)
    shipped: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))

    @property
    def remaining(self) -> Decimal:
        return rules.remaining(self.ordered, self.shipped)


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


class Carrier(OwnedColumns, Timestamps, Base):
    """A logistics company (物流公司) with its contact and its rate card."""
    __tablename__ = "carriers"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    # [{"route": "上海-杭州", "unit": "kg", "price": "1.20"}]: prices as decimal strings
    rates: Mapped[list] = mapped_column(JSONB, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


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


class FieldServiceOrder(OwnedColumns, Timestamps, Base):
    """A field-service order (现场服务单) from a repair call to the settled fee (LOG-04).

    Scope columns are the office's that created it; the provider it is dispatched to sees it
    through `provider_id` only.
    """
    __tablename__ = "field_service_orders"
    __table_args__ = (CheckConstraint("fee_total IS NULL OR fee_total >= 0", name="ck_fso_fee_total"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(200))
    equipment: Mapped[str | None] = mapped_column(String(100))
    fault_description: Mapped[str] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), index=True)
    provider_name: Mapped[str | None] = mapped_column(String(100))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    technician_name: Mapped[str | None] = mapped_column(String(100))
    technician_phone: Mapped[str | None] = mapped_column(String(40))
    arrived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    anomalies: Mapped[str | None] = mapped_column(Text)
    feedback_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback: Mapped[dict | None] = mapped_column(JSONB)
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    feedback_late: Mapped[bool] = mapped_column(Boolean, default=False)
    audit_comment: Mapped[str | None] = mapped_column(String(500))
    fee_items: Mapped[list | None] = mapped_column(JSONB)
    fee_total: Mapped[Decimal | None] = mapped_column(Money)
    fee_currency: Mapped[str | None] = mapped_column(String(3))
    hq_audit_comment: Mapped[str | None] = mapped_column(String(500))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # who did each step: [{"action": "dispatch", "by": user id, "at": iso time}]
    history: Mapped[list] = mapped_column(JSONB, default=list)
