from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

CUSTOMER_KINDS = ("company", "individual")
CUSTOMER_STATUSES = ("lead", "customer", "inactive")
INTERACTION_KINDS = ("call", "visit", "email", "meeting", "cold_visit")
RELATION_KINDS = ("parent_subsidiary", "partner", "agent")
DECISION_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")


class Customer(OwnedColumns, Timestamps, Base):
    __tablename__ = "customers"
    __table_args__ = (
        # Keyset pages per scope: (scope columns, sort column, id) lets a page at any depth be an
        # index range scan. Partial on live rows: the recycle bin and merged records never list.
        Index("ix_customers_scope_created", "branch", "department_path", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL")),
        Index("ix_customers_owner_created", "owner_id", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL")),
        Index("ix_customers_created", "created_at", "id", postgresql_where=text("deleted_at IS NULL")),
        # Substring search ("name contains", Chinese too): trigram GIN, used by ILIKE '%...%'.
        Index("ix_customers_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "gin_trgm_ops"}),
        Index("ix_customers_custom", "custom", postgresql_using="gin"),
        Index("ix_customers_tags", "tags", postgresql_using="gin"),
        Index("ix_customers_recycle_due", "recycle_due_at",
              postgresql_where=text("deleted_at IS NULL AND NOT in_pool")),
        Index("ix_customers_pool", "branch", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL AND in_pool")),
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
    group_path: Mapped[str | None] = mapped_column(String(300), index=True)  # "A/B/C", cascading
    stage: Mapped[str | None] = mapped_column(String(20))  # follow-up stage while a lead
    custom: Mapped[dict] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    # Duplicate check keys (CUS-11), maintained on every write.
    name_key: Mapped[str] = mapped_column(String(200), index=True, server_default="")
    phone_key: Mapped[str | None] = mapped_column(String(40), index=True)
    email_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # Ownership and pool (CUS-07).
    in_pool: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    protected_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recycle_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recycle_warned_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_into_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))

    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="customer", order_by="Contact.created_at",
        primaryjoin="and_(Contact.customer_id == Customer.id, Contact.deleted_at.is_(None))")


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

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class History(Base):
    """What happened to a customer, readable by whoever sees the customer (CUS-01, CUS-07)."""
    __tablename__ = "customer_history"
    __table_args__ = (Index("ix_customer_history_customer", "customer_id", "created_at", "id"),
                      Index("ix_customer_history_actor_kind", "actor_id", "kind", "created_at"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    data: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


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


class Relation(Timestamps, Base):
    """A typed link between two customers (CUS-04): from is the parent / principal side."""
    __tablename__ = "customer_relations"
    __table_args__ = (Index("ux_customer_relations", "from_id", "to_id", "kind", unique=True),
                      Index("ix_customer_relations_to", "to_id"))

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    from_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    to_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(String(500))


class MonthlyCount(Base):
    """Live owned customers per (scope columns, creation month in China time), kept by a trigger
    on `customers` (migration 0003). The monthly/quarterly/yearly trend reads a few thousand rows
    here instead of the whole customers table, and the scope filter applies unchanged."""
    __tablename__ = "customer_month_counts"

    branch: Mapped[str] = mapped_column(String(20), primary_key=True)
    department_path: Mapped[str] = mapped_column(String(500), primary_key=True)
    owner_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
