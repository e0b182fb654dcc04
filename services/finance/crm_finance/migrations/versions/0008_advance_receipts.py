"""Advance receipts (预收款, issue 14): what finance knows of a submitted order, the money paid
against it before approval, and the receipt an applied advance became.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UUID = postgresql.UUID(as_uuid=False)
MONEY = sa.Numeric(18, 2)


def _owned():
    return [sa.Column("owner_id", UUID, nullable=False, index=True),
            sa.Column("department_path", sa.String(500), nullable=False, index=True),
            sa.Column("branch", sa.String(20), nullable=False, index=True),
            sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)]


def upgrade():
    op.create_table(
        "order_facts",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("customer_id", UUID, nullable=False, index=True),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        *_owned())
    op.create_table(
        "advance_receipts",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("number", sa.String(60), nullable=False, unique=True),
        sa.Column("order_id", UUID, sa.ForeignKey("order_facts.id"), nullable=False, index=True),
        sa.Column("customer_id", UUID, nullable=False, index=True),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("bank_account_id", UUID, sa.ForeignKey("bank_accounts.id"), nullable=True, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("receipt_id", UUID, nullable=True),
        sa.Column("payment_id", UUID, nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        *_owned(),
        sa.CheckConstraint("amount > 0", name="ck_advance_receipts_amount"))
    op.add_column("receipts", sa.Column("advance_id", UUID, nullable=True))
    op.create_unique_constraint("uq_receipts_advance_id", "receipts", ["advance_id"])


def downgrade():
    op.drop_constraint("uq_receipts_advance_id", "receipts")
    op.drop_column("receipts", "advance_id")
    op.drop_table("advance_receipts")
    op.drop_table("order_facts")
