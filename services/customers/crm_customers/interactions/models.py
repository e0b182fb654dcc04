from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base

INTERACTION_KINDS = ("call", "visit", "email", "meeting", "cold_visit")


class Interaction(Timestamps, Base):
    """A call, visit, email or meeting, or a visit report (CUS-05)."""
    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_customer", "customer_id", "occurred_at"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    author_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    summary: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    next_followup_on: Mapped[date | None] = mapped_column(Date)
    copied_from_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
