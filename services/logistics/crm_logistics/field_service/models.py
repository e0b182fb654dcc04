"""The field-service order (现场服务单) and who did each of its steps."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, String, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_logistics.db import Base, Money


class FieldServiceOrder(OwnedColumns, Timestamps, Base):
    """A field-service order (现场服务单) from a repair call to the settled fee (LOG-04).

    Scope columns are the office's that created it; the provider it is dispatched to sees it
    through `provider_id` only.
    """
    __tablename__ = "field_service_orders"
    __table_args__ = (
        CheckConstraint("fee_total IS NULL OR fee_total >= 0", name="ck_fso_fee_total"),
        # the board's first page: newest first without sorting the table
        Index("ix_field_service_orders_created", "created_at", "id"),
    )

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
    # the due time the provider was told the feedback is overdue for: once per due time
    feedback_overdue_sent_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audit_comment: Mapped[str | None] = mapped_column(String(500))
    fee_items: Mapped[list | None] = mapped_column(JSONB)
    fee_total: Mapped[Decimal | None] = mapped_column(Money)
    fee_currency: Mapped[str | None] = mapped_column(String(3))
    hq_audit_comment: Mapped[str | None] = mapped_column(String(500))
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # who did each step: [{"action": "dispatch", "by": user id, "at": iso time}]
    history: Mapped[list] = mapped_column(JSONB, default=list)
