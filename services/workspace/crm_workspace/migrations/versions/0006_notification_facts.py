"""notifications: one per fact (fact_key), resolution of open questions, approval outcomes

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("notifications", sa.Column("fact_key", sa.String(200), nullable=True))
    op.create_unique_constraint("uq_notifications_fact_key", "notifications", ["fact_key"])
    op.add_column("notifications", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("notifications", sa.Column("resolution", sa.String(20), nullable=True))
    op.create_table(
        "approval_outcomes",
        sa.Column("approval_id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column("resolution", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table("approval_outcomes")
    op.drop_column("notifications", "resolution")
    op.drop_column("notifications", "resolved_at")
    op.drop_constraint("uq_notifications_fact_key", "notifications", type_="unique")
    op.drop_column("notifications", "fact_key")
