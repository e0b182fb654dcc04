"""sales targets

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)


def upgrade():
    op.create_table(
        "targets",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("subject", sa.String(20), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_by", UUID, nullable=False),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False))
    # Progress sums approved orders of an owner or a department within a period.
    op.create_index("ix_orders_progress", "orders", ["branch", "status", "approved_at"])


def downgrade():
    op.drop_index("ix_orders_progress", "orders")
    op.drop_table("targets")
