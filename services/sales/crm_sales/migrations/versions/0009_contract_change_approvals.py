"""contract_changes: change orders and terminations wait for their own approval

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before this revision took effect at once.
    op.add_column("contract_changes", sa.Column("status", sa.String(20), nullable=False, server_default="applied"))
    op.add_column("contract_changes", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ux_contract_changes_pending", "contract_changes", ["contract_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade():
    op.drop_index("ux_contract_changes_pending", table_name="contract_changes")
    op.drop_column("contract_changes", "decided_at")
    op.drop_column("contract_changes", "status")
