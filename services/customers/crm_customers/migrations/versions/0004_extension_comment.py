"""extension_requests.comment: as long as an approval comment in the sales engine (2000)

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
    op.alter_column("extension_requests", "comment", type_=sa.String(2000), existing_type=sa.String(500))


def downgrade():
    op.execute("UPDATE extension_requests SET comment = left(comment, 500)")
    op.alter_column("extension_requests", "comment", type_=sa.String(500), existing_type=sa.String(2000))
