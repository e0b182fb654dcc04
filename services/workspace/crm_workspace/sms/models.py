"""SMS and notices (WSP-09): the sending log and the numbers that opted out."""
from datetime import datetime

from sqlalchemy import DateTime, Index, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.db import Base


class SmsMessage(OwnedColumns, Timestamps, Base):
    """The sending log (短信查询): one row per message handed to the provider."""
    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_scope_created", "branch", "department_path", "created_at"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    phone: Mapped[str] = mapped_column(String(30), index=True)
    body: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(50))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(500))


class SmsOptOut(Base):
    """A number that asked not to receive messages; per branch (each branch sends its own)."""
    __tablename__ = "sms_opt_outs"

    branch: Mapped[str] = mapped_column(String(20), primary_key=True)
    phone: Mapped[str] = mapped_column(String(30), primary_key=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)
