"""The console's 现场服务 board (issue 18): its first page is the newest orders, which without an
index on the sort key meant reading and sorting the whole table.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_field_service_orders_created", "field_service_orders", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_field_service_orders_created", table_name="field_service_orders")
