"""receivable closing: an order that ended early cuts its receivable to the shipped value (issue 14)

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
    op.add_column("receivables", sa.Column("original_amount", sa.Numeric(18, 2)))
    op.add_column("receivables", sa.Column("closed_reason", sa.String(200)))
    op.add_column("receivables", sa.Column("closed_at", sa.DateTime(timezone=True)))
    op.add_column("receivables", sa.Column("refund_due", sa.Numeric(18, 2), nullable=False, server_default="0"))
    op.add_column("receivables", sa.Column("red_invoice_due", sa.Numeric(18, 2), nullable=False, server_default="0"))
    for name, check in (("ck_receivables_received", "received >= 0 AND received <= amount + refund_due"),
                        ("ck_receivables_invoiced", "invoiced >= 0 AND invoiced <= amount + red_invoice_due")):
        op.drop_constraint(name, "receivables", type_="check")
        op.create_check_constraint(name, "receivables", check)


def downgrade():
    for name, check in (("ck_receivables_received", "received >= 0 AND received <= amount"),
                        ("ck_receivables_invoiced", "invoiced >= 0 AND invoiced <= amount")):
        op.drop_constraint(name, "receivables", type_="check")
        op.create_check_constraint(name, "receivables", check)
    for column in ("red_invoice_due", "refund_due", "closed_at", "closed_reason", "original_amount"):
        op.drop_column("receivables", column)
