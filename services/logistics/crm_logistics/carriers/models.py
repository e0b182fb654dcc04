"""Carriers (物流公司) with their rate cards."""
from sqlalchemy import Boolean, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_logistics.db import Base


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
