"""Invoices, red-letter reversals and receipts held for a configured approval flow (issue 17,
SAL-07; issue 16, FIN-05): which types have a flow, a receipt's status, the deciding approval.

Every receipt recorded so far is `recorded`.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "approval_flow_states",
        sa.Column("document_type", sa.String(40), primary_key=True),
        sa.Column("configured", sa.Boolean(), nullable=False),
        sa.Column("flow_id", postgresql.UUID(as_uuid=False), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False))
    for table in ("invoices", "receipts"):
        op.add_column(table, sa.Column("approval_id", postgresql.UUID(as_uuid=False), nullable=True))
        op.add_column(table, sa.Column("approval_note", sa.String(2000), nullable=True))
    op.add_column("receipts", sa.Column("status", sa.String(20), nullable=False, server_default="recorded"))


def downgrade():
    op.drop_column("receipts", "status")
    for table in ("invoices", "receipts"):
        op.drop_column(table, "approval_note")
        op.drop_column(table, "approval_id")
    op.drop_table("approval_flow_states")
