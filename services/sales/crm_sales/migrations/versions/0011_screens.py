"""quotes: a cancelled quote keeps why and when; targets: a closed target keeps when; orders: a
payment plan agreed before approval (issue 14, an API that fits its screens)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("quotes", sa.Column("cancel_reason", sa.Text(), nullable=True))
    op.add_column("quotes", sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("targets", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("payment_plan", JSONB(), nullable=False, server_default="[]"))


def downgrade():
    op.drop_column("orders", "payment_plan")
    op.drop_column("targets", "closed_at")
    op.drop_column("quotes", "cancelled_at")
    op.drop_column("quotes", "cancel_reason")
