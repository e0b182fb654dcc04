from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

CUSTOMER_KINDS = ("company", "individual")
CUSTOMER_STATUSES = ("lead", "prospect", "customer", "inactive")
DECISION_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")


class Customer(OwnedColumns, Timestamps, Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_scope_created", "branch", "department_path", "created_at"),
        Index("ix_customers_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    source: Mapped[str | None] = mapped_column(String(100))
    value_level: Mapped[str | None] = mapped_column(String(40))
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    district: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="customer", order_by="Contact.created_at",
        primaryjoin="and_(Contact.customer_id == Customer.id, Contact.deleted_at.is_(None))")


class Contact(Timestamps, Base):
    """Scoped through its customer: whoever sees the customer sees its contacts."""
    __tablename__ = "contacts"

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
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    customer: Mapped[Customer] = relationship(back_populates="contacts")
