"""The console's 发票 list (issue 18): its first page for a caller of scope `all` is the newest
invoices, which without an index on the sort key meant reading and sorting the whole table
(EXPLAIN at 25,000 invoices: seq scan + top-N sort, 160 ms at load 15).

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_invoices_created", "invoices", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_invoices_created", table_name="invoices")
