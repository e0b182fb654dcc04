"""campaigns with costs, tasks and leads

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
MONEY = sa.Numeric(18, 2)


def _child(name, *columns):
    op.create_table(
        name,
        sa.Column("id", UUID, primary_key=True),
        sa.Column("campaign_id", UUID, sa.ForeignKey("campaigns.id"), nullable=False, index=True),
        *columns,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def upgrade():
    op.create_table(
        "campaigns",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(100), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("budget", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("participants", postgresql.JSONB(), nullable=False),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False))
    _child("campaign_costs", sa.Column("description", sa.Text(), nullable=False),
           sa.Column("amount", MONEY, nullable=False), sa.Column("spent_on", sa.Date(), nullable=False))
    _child("campaign_tasks", sa.Column("title", sa.String(200), nullable=False),
           sa.Column("assignee_id", UUID, nullable=True), sa.Column("due_on", sa.Date(), nullable=True),
           sa.Column("done", sa.Boolean(), nullable=False))
    _child("campaign_leads", sa.Column("customer_id", UUID, nullable=False, index=True),
           sa.Column("customer_name", sa.String(200), nullable=False),
           sa.UniqueConstraint("campaign_id", "customer_id"))


def downgrade():
    for table in ("campaign_leads", "campaign_tasks", "campaign_costs", "campaigns"):
        op.drop_table(table)
