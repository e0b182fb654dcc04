"""contracts and their change history

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)


def upgrade():
    op.create_table(
        "contracts",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("customer_id", UUID, nullable=False, index=True),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("customer_level", sa.String(40), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False, index=True),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("commission_split", postgresql.JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("renewal_of", UUID, nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("reminded_end_date", sa.Date(), nullable=True),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False))
    op.create_table(
        "contract_changes",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("contract_id", UUID, sa.ForeignKey("contracts.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("before", postgresql.JSONB(), nullable=False),
        sa.Column("after", postgresql.JSONB(), nullable=False),
        sa.Column("actor_id", UUID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False))


def downgrade():
    op.drop_table("contract_changes")
    op.drop_table("contracts")
