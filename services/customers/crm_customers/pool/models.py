"""Tables of the public pools (CUS-07, CUS-15): pools, their people and rules, the nightly run,
sales' opportunities, extension requests."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_customers.db import Base


class Pool(Base):
    """A public pool (公海) of the branch: for one department and its subtree, or the branch's
    default one (department_path empty). An owned customer belongs to the pool of the deepest
    department above its own; that pool's rules recycle it and it falls back into that pool."""
    __tablename__ = "pools"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    branch: Mapped[str] = mapped_column(String(20))
    department_path: Mapped[str | None] = mapped_column(String(300))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    daily_claim_quota: Mapped[int] = mapped_column(Integer)  # claims per user and branch day
    reclaim_block_days: Mapped[int] = mapped_column(Integer, default=0)  # the former owner waits
    owned_limit: Mapped[int | None] = mapped_column(Integer)  # customers a user may own; none: no limit
    locked_limit: Mapped[int | None] = mapped_column(Integer)  # customers a user may lock
    exempt_won: Mapped[bool] = mapped_column(Boolean, default=False)
    exempt_open_opportunity: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class PoolRule(Base):
    """Recycle after N days without follow-up, new opportunity or deal (any left empty: not that
    reason), for one value level of the pool or for all ('*', the rule set once)."""
    __tablename__ = "pool_rules"

    pool_id: Mapped[str] = mapped_column(ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True)
    value_level: Mapped[str] = mapped_column(String(40), primary_key=True)
    days_without_followup: Mapped[int | None] = mapped_column(Integer)
    days_without_opportunity: Mapped[int | None] = mapped_column(Integer)
    days_without_deal: Mapped[int | None] = mapped_column(Integer)
    notice_days: Mapped[int] = mapped_column(Integer, default=3)
    protection_days: Mapped[int] = mapped_column(Integer, default=0)


class PoolPerson(Base):
    """A member may claim from the pool, an admin may also assign from it. A pool without
    members is open to everyone of the branch who may change customers."""
    __tablename__ = "pool_people"

    pool_id: Mapped[str] = mapped_column(ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))  # member, admin (pool.rules.POOL_ROLES)


class PoolRun(Base):
    """The nightly run of one branch day: a second run the same local day finds its row and stops."""
    __tablename__ = "pool_runs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict] = mapped_column(JSONB)


class PoolWarning(Base):
    """The recycle date an owner was last warned of (customers.recycle_warning): a run warns only
    a customer whose date differs. Its own narrow table, so warning 30,000 customers a night
    writes 30,000 small rows, not 30,000 non-HOT rewrites of wide customers rows (bench/pool.py)."""
    __tablename__ = "pool_warnings"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    warned_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PoolOpportunity(Base):
    """What sales said of an opportunity (sales.opportunity_changed): the facts of the
    'no new opportunity' rule and the open-opportunity and won exemptions. Upserts keyed by the
    opportunity: the two events may arrive in either order."""
    __tablename__ = "pool_opportunities"

    opportunity_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), index=True)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(10))  # won, lost


class ExtensionRequest(Timestamps, Base):
    """An owner asks for a longer protection period (延期); the sales approval engine decides."""
    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extension_requests_customer", "customer_id", "status"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    requested_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    days: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # pending, approved, rejected, withdrawn (pool.rules.EXTENSION)
    decided_by: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str | None] = mapped_column(String(2000))  # the approval engine's limit


class ReminderSent(Base):
    """One row per reminder emitted: the scheduled job is idempotent across runs and replicas."""
    __tablename__ = "reminders_sent"

    source_kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # birthday, important_date
    source_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    occurs_on: Mapped[date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


class HandOver(Base):
    """A departing user's records handed to a colleague in one action (crm_common.handovers):
    `counts` per service ({"sales": {"orders": 2, ...}}), filled as each service answers;
    done once every service has."""
    __tablename__ = "handovers"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    from_user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    to_user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    requested_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    branch: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # running, done (pool.rules.handover_status)
    counts: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
