"""users.manager_id: the direct superior (直属上级) approval flows reach (issue 17, SAL-07)

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("manager_id", postgresql.UUID(as_uuid=False),
                                     sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True))
    op.create_index("ix_users_manager_id", "users", ["manager_id"])


def downgrade():
    op.drop_index("ix_users_manager_id", "users")
    op.drop_column("users", "manager_id")
