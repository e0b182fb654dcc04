from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, String, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps
from crm_customers.db import Base
from crm_customers.groups.models import CustomerGroup  # noqa: F401  the table group_id refers to

# partner (伙伴): a dealer or agent that buys from us to resell; the sales price rules of kind
# "partner" (伙伴折扣) apply to its orders and quotes
CUSTOMER_KINDS = ("company", "individual", "partner")
CUSTOMER_STATUSES = ("lead", "customer", "inactive")


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
        # Substring search ("name contains", Chinese too): GIN over the name's character pairs
        # (NAME_BIGRAMS_SQL), rechecked with ILIKE '%...%'. Pairs, not trigrams: two characters
        # is the most common length of a Chinese word.
        Index("ix_customers_name_bigrams", func.customer_name_bigrams(text("name")), postgresql_using="gin"),
        Index("ix_customers_owner_name", "owner_id", "name", "id", postgresql_where=text("deleted_at IS NULL")),
        Index("ix_customers_custom", "custom", postgresql_using="gin"),
        Index("ix_customers_tags", "tags", postgresql_using="gin"),
        Index("ix_customers_recycle_due", "recycle_due_at",
              postgresql_where=text("deleted_at IS NULL AND NOT in_pool")),
        Index("ix_customers_pool", "branch", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL AND in_pool")),
        Index("ix_customers_pool_id", "pool_id", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL AND in_pool")),
        Index("ix_customers_locked_owner", "owner_id", postgresql_where=text("deleted_at IS NULL AND locked")),
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
    # the place as region codes (crm_common.regions, GET /regions); the three names above are
    # theirs, written with them, never typed: 北京 and 北京市 are one province
    province_code: Mapped[str | None] = mapped_column(String(6))
    city_code: Mapped[str | None] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), index=True)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(50)), default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the customer group (客户群, crm_customers.groups) and its name path "A/B/C", which the
    # `group` filter reads (the group or any below it); a rename rewrites the copies
    group_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), ForeignKey("customer_groups.id"), index=True)
    group_path: Mapped[str | None] = mapped_column(String(300), index=True)
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
    # the recycle warning's mark is in pool_warnings (pool.models.PoolWarning), not in this row
    # Pools (CUS-15): the pool it belongs to (owned) or sits in; a locked customer is never
    # recycled; why recycle_due_at is what it is (pool.rules.REASONS)
    pool_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    owner_since: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    recycle_reason: Mapped[str | None] = mapped_column(String(30))
    merged_into_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    # Chinese identifiers (issue 16): a company's 统一社会信用代码 and the rest of its licence, an
    # individual's 身份证号 (kept whole, shown masked to whoever lacks customers.view_sensitive).
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    organization_code: Mapped[str | None] = mapped_column(String(10))
    registered_address: Mapped[str | None] = mapped_column(String(300))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    birthday: Mapped[date | None] = mapped_column(Date)
    # the customer's own numbers (its contacts' hang off them); a page of customers loads them at once
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="and_(Customer.id == Phone.customer_id, Phone.contact_id.is_(None))",
        order_by="Phone.position", lazy="selectin", viewonly=True)


# The distinct lower-cased pairs of adjacent characters of a name (migration 0008). A name
# contains a fragment of two or more characters only if its pairs contain all of the fragment's
# pairs, so `customer_name_bigrams(name) @> customer_name_bigrams(fragment)` is answered by the
# GIN index and ILIKE rechecks the candidates. lower() on both sides is what ILIKE compares.
NAME_BIGRAMS_SQL = """
    CREATE FUNCTION customer_name_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT substr(v, i, 2)), '{}')
        FROM lower(value) AS v, generate_series(1, length(v) - 1) AS i
    $$
"""


class Phone(Base):
    """One of the numbers of a customer (contact_id empty) or of one of its contacts, each with a
    kind; `number` is the comparable form (crm_common.phones) the duplicate check and the call log
    match on, `typed` what the user wrote."""
    __tablename__ = "customer_phones"
    __table_args__ = (Index("ix_customer_phones_number", "number"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(20))
    extension: Mapped[str | None] = mapped_column(String(6))
    typed: Mapped[str] = mapped_column(String(40))


class History(Base):
    """What happened to a customer, readable by whoever sees the customer (CUS-01, CUS-07)."""
    __tablename__ = "customer_history"
    # (customer_id, id): the detail view and the history list read a customer's rows newest id first
    __table_args__ = (Index("ix_customer_history_customer", "customer_id", "id"),
                      Index("ix_customer_history_actor_kind", "actor_id", "kind", "created_at"))

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    data: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))




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


# The rollup's SQL (migration 0003 installs the trigger that keeps it). `REBUILD_SQL` recomputes
# it from scratch: after a bulk load with the trigger disabled (the bench's COPY), or to repair it.
ROLLUP_ZONE = "Asia/Shanghai"  # fixed in the trigger; reports count live in any other branch zone
MONTH = f"date_trunc('month', {{r}}.created_at AT TIME ZONE '{ROLLUP_ZONE}')::date"
REBUILD_SQL = f"""
    DELETE FROM customer_month_counts;
    INSERT INTO customer_month_counts (branch, department_path, owner_id, month, count)
    SELECT branch, department_path, owner_id, {MONTH.format(r='c')}, count(*) FROM customers c
     WHERE deleted_at IS NULL AND NOT in_pool GROUP BY 1, 2, 3, 4;
"""
TRIGGER = "customers_month_count"
# A statement that keeps the counts itself in one aggregate (the nightly recycle) sets this to
# 'on' for its own duration (set_config(..., true)); the trigger skips every row meanwhile (0019).
MONTH_COUNTS_SETTING = "crm.month_counts_by_statement"
