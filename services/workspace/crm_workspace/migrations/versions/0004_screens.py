"""announcements: a withdrawn announcement stops reaching its audience (issue 14, an API that fits
its screens)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("announcements", sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("announcements", "withdrawn_at")
