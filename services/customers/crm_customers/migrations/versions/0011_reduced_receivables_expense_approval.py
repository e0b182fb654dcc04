"""issue 14: the money picture follows a receivable cut to the shipped value when its order ended
early; a customer expense is reimbursed only after its approval

Expenses recorded before this were paid without approval: they count as approved.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("money_receivables", sa.Column("reduced_amount", sa.Numeric(18, 2), nullable=True))
    op.add_column("customer_expenses", sa.Column("status", sa.String(20), nullable=False, server_default="approved"))
    op.alter_column("customer_expenses", "status", server_default="pending")
    op.add_column("customer_expenses", sa.Column("decided_by", sa.Uuid(as_uuid=False), nullable=True))
    op.add_column("customer_expenses", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("customer_expenses", sa.Column("decision_comment", sa.Text(), nullable=True))


def downgrade():
    for column in ("decision_comment", "decided_at", "decided_by", "status"):
        op.drop_column("customer_expenses", column)
    op.drop_column("money_receivables", "reduced_amount")
