"""The catalog's tables (SAL-01, SAL-02): products and price rules, shared by the branch (no data scope)."""
from decimal import Decimal

from sqlalchemy import Boolean, Integer, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_sales.db import MONEY, QUANTITY, Base


class Product(Timestamps, Base):
    """Catalog data shared by the branch: not owned, so no data scope."""
    __tablename__ = "products"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100))
    spec: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    list_price: Mapped[Decimal] = mapped_column(MONEY)
    wholesale_price: Mapped[Decimal | None] = mapped_column(MONEY)
    retail_price: Mapped[Decimal | None] = mapped_column(MONEY)
    cost_price: Mapped[Decimal | None] = mapped_column(MONEY)
    floor_price: Mapped[Decimal | None] = mapped_column(MONEY)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PriceRule(Timestamps, Base):
    """SAL-02: a discount rule. Catalog-level data of the branch (no data scope).

    kind: volume (min_quantity), customer (customer_id), partner (customer kind "partner"),
    position (max_discount_percent a holder of `permission` may grant by hand).
    """
    __tablename__ = "price_rules"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    product_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    category: Mapped[str | None] = mapped_column(String(100))
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    min_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    permission: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
