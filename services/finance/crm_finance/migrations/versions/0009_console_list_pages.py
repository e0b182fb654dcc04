"""The console's 应收 list (issue 18): its first page for a caller of scope `all` is the newest
receivables, which without an index on the sort key meant reading and sorting the whole table.

Revision ID: 0009
Revises: 0008
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_receivables_created", "receivables", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_receivables_created", table_name="receivables")
