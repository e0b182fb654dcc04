"""order end reason: why an approved order was completed or closed (issue 14, ending an order)

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("orders", sa.Column("end_reason", sa.String(200)))


def downgrade():
    op.drop_column("orders", "end_reason")
