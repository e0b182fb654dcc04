from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class FieldDefinition(Timestamps, Base):
    __tablename__ = "field_definitions"
    __table_args__ = (Index("ux_field_definitions_key", "entity", "key", unique=True),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))  # customer, contact
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(20))  # text, number, date, select, multi_select
    options: Mapped[list] = mapped_column(JSONB, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # retired: no longer offered nor accepted; the values records hold stay readable
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
