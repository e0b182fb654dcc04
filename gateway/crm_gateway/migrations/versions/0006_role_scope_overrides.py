"""Per-permission data scopes on roles.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("roles", sa.Column("scope_overrides", postgresql.JSONB(astext_type=sa.Text()),
                                     nullable=False, server_default=sa.text("'{}'::jsonb")))


def downgrade():
    op.drop_column("roles", "scope_overrides")
