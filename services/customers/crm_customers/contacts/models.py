from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import Timestamps
from crm_customers.customers.models import Phone
from crm_customers.db import Base

DECISION_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")


class Contact(Timestamps, Base):
    """Scoped through its customer: whoever sees the customer sees its contacts."""
    __tablename__ = "contacts"
    __table_args__ = (
        # Birthday reminders look up contacts by month*100+day (a date's year is irrelevant).
        Index("ix_contacts_birthday_md",
              text("((extract(month from birthday) * 100 + extract(day from birthday))::int)"),
              postgresql_where=text("birthday IS NOT NULL AND deleted_at IS NULL")),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    birthday: Mapped[date | None] = mapped_column(Date)
    is_key_member: Mapped[bool] = mapped_column(Boolean, default=False)
    decision_role: Mapped[str | None] = mapped_column(String(20))
    reports_to_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    custom: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    phones: Mapped[list[Phone]] = relationship(Phone, order_by=Phone.position, lazy="selectin", viewonly=True)
