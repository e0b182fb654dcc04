"""The customer's money picture (issue 12): orders and receivables as sales and finance report them.

Starts empty: docs/customers.md ("The money picture") says how existing orders and receivables
are brought in.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "money_orders",
        sa.Column("order_id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column("customer_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("total", sa.Numeric(18, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_money_orders_open", "money_orders", ["customer_id"],
                    postgresql_where=sa.text("approved_at IS NOT NULL AND ended_at IS NULL"))
    op.create_table(
        "money_receivables",
        sa.Column("receivable_id", sa.Uuid(as_uuid=False), primary_key=True),
        sa.Column("customer_id", sa.Uuid(as_uuid=False), nullable=True),
        sa.Column("amount", sa.Numeric(18, 2), nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("received", sa.Numeric(18, 2), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    )
    op.create_index("ix_money_receivables_customer", "money_receivables", ["customer_id", "due_date"])


def downgrade():
    op.drop_table("money_receivables")
    op.drop_table("money_orders")
