"""The full approval engine (issue 17, SAL-07): approver kinds resolved into stages of users,
flow settings (no approver, restart after a rejection, retiring), the people the gateway sends.

A stage of users has several approvers (会签 / 或签): `current_user_id` becomes the list
`current_user_ids`. One live flow per document type (a retired one stays for the history).

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("approval_flows", sa.Column("no_approver", sa.String(20), nullable=False,
                                              server_default="auto_pass"))
    op.add_column("approval_flows", sa.Column("admin_user_id", postgresql.UUID(as_uuid=False), nullable=True))
    op.add_column("approval_flows", sa.Column("restart", sa.String(20), nullable=False, server_default="first"))
    op.add_column("approval_flows", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint("approval_flows_document_type_key", "approval_flows", type_="unique")
    op.create_index("uq_approval_flows_live", "approval_flows", ["document_type"], unique=True,
                    postgresql_where=sa.text("retired_at IS NULL"))
    op.add_column("approval_instances", sa.Column("current_user_ids", postgresql.JSONB(), nullable=True))
    op.execute("UPDATE approval_instances SET current_user_ids = jsonb_build_array(current_user_id::text)"
               " WHERE current_user_id IS NOT NULL")
    op.drop_column("approval_instances", "current_user_id")
    op.create_index("ix_approval_instances_current_user_ids", "approval_instances", ["current_user_ids"],
                    postgresql_using="gin")
    op.create_table(
        "approval_people",
        sa.Column("user_id", postgresql.UUID(as_uuid=False), primary_key=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        sa.Column("manager_id", postgresql.UUID(as_uuid=False), nullable=True),
        sa.Column("role_ids", postgresql.ARRAY(sa.String(36)), nullable=False, server_default="{}"),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("approval_people")
    op.drop_index("ix_approval_instances_current_user_ids", "approval_instances")
    op.add_column("approval_instances", sa.Column("current_user_id", postgresql.UUID(as_uuid=False), nullable=True))
    op.execute("UPDATE approval_instances SET current_user_id = (current_user_ids->>0)::uuid"
               " WHERE current_user_ids IS NOT NULL")
    op.drop_column("approval_instances", "current_user_ids")
    op.drop_index("uq_approval_flows_live", "approval_flows")
    op.create_unique_constraint("approval_flows_document_type_key", "approval_flows", ["document_type"])
    for column in ("retired_at", "restart", "admin_user_id", "no_approver"):
        op.drop_column("approval_flows", column)
