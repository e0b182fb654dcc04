"""Field permissions (字段权限) on roles.

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("roles", sa.Column("field_rules", postgresql.JSONB(astext_type=sa.Text()),
                                     nullable=False, server_default=sa.text("'{}'::jsonb")))


def downgrade():
    op.drop_column("roles", "field_rules")
