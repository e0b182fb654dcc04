"""field_definitions: a retired custom field keeps its values on the records but takes no more
(issue 14, an API that fits its screens)

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("field_definitions", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("field_definitions", "retired_at")
