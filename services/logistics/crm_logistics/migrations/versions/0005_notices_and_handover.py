"""field-service feedback overdue notices (once per due time)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("field_service_orders",
                  sa.Column("feedback_overdue_sent_for", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("field_service_orders", "feedback_overdue_sent_for")
