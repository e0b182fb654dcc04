"""price rules, the approval engine, per-line progress

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)


def _timestamps():
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)]


def upgrade():
    op.add_column("orders", sa.Column("order_type", sa.String(20), server_default="sale", nullable=False))
    op.add_column("orders", sa.Column("customer_level", sa.String(40), nullable=True))
    op.add_column("orders", sa.Column("max_discount_percent", sa.Numeric(5, 2), server_default="0", nullable=False))
    op.add_column("orders", sa.Column("discount_over_limit", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("order_lines", sa.Column("list_price", sa.Numeric(18, 2), nullable=True))
    op.execute("UPDATE order_lines SET list_price = unit_price")
    op.alter_column("order_lines", "list_price", nullable=False)
    op.add_column("order_lines", sa.Column("discount_percent", sa.Numeric(5, 2), server_default="0", nullable=False))
    op.add_column("order_lines", sa.Column("pricing_note", sa.Text(), nullable=True))
    for column, numeric in (("shipped", sa.Numeric(14, 3)), ("invoiced", sa.Numeric(18, 2)),
                            ("received", sa.Numeric(18, 2))):
        op.add_column("order_lines", sa.Column(column, numeric, server_default="0", nullable=False))

    op.create_table(
        "price_rules",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False, index=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("product_id", UUID, nullable=True),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("customer_id", UUID, nullable=True),
        sa.Column("min_quantity", sa.Numeric(14, 3), nullable=True),
        sa.Column("discount_percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("permission", sa.String(100), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps())
    op.create_table(
        "approval_flows",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("document_type", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("allow_self_approval", sa.Boolean(), nullable=False),
        sa.Column("steps", postgresql.JSONB(), nullable=False),
        *_timestamps())
    op.create_table(
        "approval_instances",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("document_type", sa.String(40), nullable=False),
        sa.Column("document_id", UUID, nullable=False, index=True),
        sa.Column("document_number", sa.String(40), nullable=False),
        sa.Column("flow_version", sa.Integer(), nullable=False),
        sa.Column("allow_self_approval", sa.Boolean(), nullable=False),
        sa.Column("steps", postgresql.JSONB(), nullable=False),
        sa.Column("facts", postgresql.JSONB(), nullable=False),
        sa.Column("submitter_id", UUID, nullable=False),
        sa.Column("submitter_department_path", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("current_permission", sa.String(100), nullable=True),
        sa.Column("current_user_id", UUID, nullable=True),
        sa.Column("target_path", sa.String(500), nullable=True, index=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        *_timestamps())
    # At most one approval in progress per document: a second submit cannot open a parallel one.
    op.create_index("ux_approval_pending_document", "approval_instances", ["document_type", "document_id"],
                    unique=True, postgresql_where=sa.text("status = 'pending'"))
    op.create_table(
        "approval_actions",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("instance_id", UUID, sa.ForeignKey("approval_instances.id"), nullable=False, index=True),
        sa.Column("step_index", sa.Integer(), nullable=True),
        sa.Column("step_name", sa.String(200), nullable=True),
        sa.Column("actor_id", UUID, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table("approval_actions")
    op.drop_table("approval_instances")
    op.drop_table("approval_flows")
    op.drop_table("price_rules")
    for column in ("list_price", "discount_percent", "pricing_note", "shipped", "invoiced", "received"):
        op.drop_column("order_lines", column)
    for column in ("order_type", "customer_level", "max_discount_percent", "discount_over_limit"):
        op.drop_column("orders", column)
