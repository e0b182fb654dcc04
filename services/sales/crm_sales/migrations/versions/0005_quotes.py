"""quotes with lines and revisions

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
MONEY = sa.Numeric(18, 2)


def upgrade():
    op.create_table(
        "quotes",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False, unique=True),
        sa.Column("customer_id", UUID, nullable=False, index=True),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("customer_level", sa.String(40), nullable=True),
        sa.Column("max_discount_percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("discount_over_limit", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("order_id", UUID, nullable=True),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False))
    op.create_table(
        "quote_lines",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("quote_id", UUID, sa.ForeignKey("quotes.id"), nullable=False, index=True),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", UUID, sa.ForeignKey("products.id"), nullable=False),
        sa.Column("product_code", sa.String(40), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("quantity", sa.Numeric(14, 3), nullable=False),
        sa.Column("list_price", MONEY, nullable=False),
        sa.Column("discount_percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("pricing_note", sa.Text(), nullable=True))
    op.create_table(
        "quote_revisions",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("quote_id", UUID, sa.ForeignKey("quotes.id"), nullable=False, index=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table("quote_revisions")
    op.drop_table("quote_lines")
    op.drop_table("quotes")
