"""field-service feedback overdue notices (once per due time)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("field_service_orders",
                  sa.Column("feedback_overdue_sent_for", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("field_service_orders", "feedback_overdue_sent_for")
