"""The call log (来电速记) and work orders (工单), WSP-03."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_workspace.db import Base


class CallRecord(OwnedColumns, Timestamps, Base):
    """来电速记: owner is whoever took the call; the customer match is a copy taken at entry."""
    __tablename__ = "call_records"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'handled')", name="ck_call_records_status"),
        Index("ix_call_records_scope_received", "branch", "department_path", "received_at"),
        # the handling queue and the dashboard count only pending calls
        Index("ix_call_records_pending", "branch", "department_path", postgresql_where="status = 'pending'"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    phone: Mapped[str] = mapped_column(String(30), index=True)
    caller_name: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(30))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    summary: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    contact_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    result: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))


class WorkOrder(OwnedColumns, Timestamps, Base):
    """工单, usually raised from a call, always classified by a business category."""
    __tablename__ = "work_orders"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="ck_work_orders_status"),
        Index("ix_work_orders_scope_created", "branch", "department_path", "created_at"),
        Index("ix_work_orders_open", "branch", "department_path", postgresql_where="status = 'open'"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    call_id: Mapped[str | None] = mapped_column(ForeignKey("call_records.id"), index=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"))
    source: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
