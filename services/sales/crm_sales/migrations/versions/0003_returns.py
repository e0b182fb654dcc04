"""returns

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)


def upgrade():
    op.create_table(
        "returns",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False, unique=True),
        sa.Column("order_id", UUID, sa.ForeignKey("orders.id"), nullable=False, index=True),
        sa.Column("customer_id", UUID, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total", sa.Numeric(18, 2), nullable=False),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False))
    op.create_table(
        "return_lines",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("return_id", UUID, sa.ForeignKey("returns.id"), nullable=False, index=True),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("order_line_id", UUID, sa.ForeignKey("order_lines.id"), nullable=False, index=True),
        sa.Column("product_id", UUID, nullable=False),
        sa.Column("quantity", sa.Numeric(14, 3), nullable=False),
        sa.Column("unit_price", sa.Numeric(18, 2), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False))


def downgrade():
    op.drop_table("return_lines")
    op.drop_table("returns")
