"""Hand-overs of departing users (issue 14)

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "handovers",
        sa.Column("id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column("from_user_id", sa.Uuid(as_uuid=False), nullable=False, index=True),
        sa.Column("to_user_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("requested_by", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("branch", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("counts", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_table("handovers")
