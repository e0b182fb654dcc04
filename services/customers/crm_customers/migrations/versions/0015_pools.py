"""Several pools (issue 17, CUS-15): pools per department or for the whole branch with their
members and admins, recycle rules per pool and value level (no follow-up / no new opportunity /
no deal), exemptions, claim quota, re-claim block, owned and locked limits; the opportunities
sales reports; the nightly run's day; the customer's pool, lock, owner-since and recycle reason.

The single pool of before becomes the branch's default pool: its rules and claim limit move over.

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

from crm_common import config

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
NOW = sa.text("now()")


def upgrade():
    op.create_table(
        "pools",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("branch", sa.String(20), nullable=False),
        sa.Column("department_path", sa.String(300)),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("daily_claim_quota", sa.Integer, nullable=False, server_default="20"),
        sa.Column("reclaim_block_days", sa.Integer, nullable=False, server_default="0"),
        sa.Column("owned_limit", sa.Integer),
        sa.Column("locked_limit", sa.Integer),
        sa.Column("exempt_won", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("exempt_open_opportunity", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
    )
    op.create_index("ux_pools_name", "pools", ["branch", "name"], unique=True)
    op.create_index("ux_pools_default", "pools", ["branch"], unique=True, postgresql_where=sa.text("is_default"))
    op.create_index("ux_pools_department", "pools", ["branch", "department_path"], unique=True,
                    postgresql_where=sa.text("department_path IS NOT NULL"))
    op.create_table(
        "pool_rules",
        sa.Column("pool_id", UUID, sa.ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("value_level", sa.String(40), primary_key=True),
        sa.Column("days_without_followup", sa.Integer),
        sa.Column("days_without_opportunity", sa.Integer),
        sa.Column("days_without_deal", sa.Integer),
        sa.Column("notice_days", sa.Integer, nullable=False, server_default="3"),
        sa.Column("protection_days", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "pool_people",
        sa.Column("pool_id", UUID, sa.ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", UUID, primary_key=True),
        sa.Column("role", sa.String(10), nullable=False),
    )
    op.create_index("ix_pool_people_user", "pool_people", ["user_id"])
    op.create_table(
        "pool_runs",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.dialects.postgresql.JSONB, nullable=False),
    )
    op.create_table(
        "pool_opportunities",
        sa.Column("opportunity_id", UUID, primary_key=True),
        sa.Column("customer_id", UUID),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(10)),
    )
    op.create_index("ix_pool_opportunities_customer", "pool_opportunities", ["customer_id"])
    op.add_column("customers", sa.Column("pool_id", UUID))
    op.add_column("customers", sa.Column("locked", sa.Boolean, nullable=False, server_default=sa.text("false")))
    op.add_column("customers", sa.Column("owner_since", sa.DateTime(timezone=True), server_default=NOW,
                                         nullable=False))
    op.add_column("customers", sa.Column("recycle_reason", sa.String(30)))
    op.create_index("ix_customers_pool_id", "customers", ["pool_id", "created_at", "id"],
                    postgresql_where=sa.text("deleted_at IS NULL AND in_pool"))
    op.create_index("ix_customers_locked_owner", "customers", ["owner_id"],
                    postgresql_where=sa.text("deleted_at IS NULL AND locked"))
    op.create_index("ix_money_orders_customer", "money_orders", ["customer_id"])

    op.get_bind().execute(sa.text("""
        INSERT INTO pools (id, name, branch, is_default, daily_claim_quota)
        SELECT gen_random_uuid(), '公海', :branch, true,
               coalesce((SELECT daily_claim_limit FROM pool_settings WHERE id = 1), 20)"""), {"branch": config.branch()})
    op.execute("""
        INSERT INTO pool_rules (pool_id, value_level, days_without_followup, notice_days, protection_days)
        SELECT p.id, r.value_level, r.days_without_followup, r.notice_days, r.protection_days
          FROM recycle_rules r CROSS JOIN pools p WHERE p.is_default""")
    op.execute("UPDATE customers SET pool_id = (SELECT id FROM pools WHERE is_default),"
               " owner_since = last_activity_at")
    op.drop_table("recycle_rules")
    op.drop_table("pool_settings")


def downgrade():
    op.create_table('pool_settings', sa.Column('id', sa.Integer(), primary_key=True),
                    sa.Column('daily_claim_limit', sa.Integer(), nullable=False))
    op.create_table('recycle_rules', sa.Column('value_level', sa.String(40), primary_key=True),
                    sa.Column('days_without_followup', sa.Integer(), nullable=False),
                    sa.Column('notice_days', sa.Integer(), nullable=False),
                    sa.Column('protection_days', sa.Integer(), nullable=False))
    op.execute("INSERT INTO pool_settings (id, daily_claim_limit)"
               " SELECT 1, daily_claim_quota FROM pools WHERE is_default")
    op.execute("""INSERT INTO recycle_rules SELECT r.value_level, r.days_without_followup, r.notice_days,
                  r.protection_days FROM pool_rules r JOIN pools p ON p.id = r.pool_id
                  WHERE p.is_default AND r.days_without_followup IS NOT NULL""")
    op.drop_index("ix_money_orders_customer", "money_orders")
    op.drop_index("ix_customers_locked_owner", "customers")
    op.drop_index("ix_customers_pool_id", "customers")
    for column in ("recycle_reason", "owner_since", "locked", "pool_id"):
        op.drop_column("customers", column)
    for table in ("pool_opportunities", "pool_runs", "pool_people", "pool_rules", "pools"):
        op.drop_table(table)
