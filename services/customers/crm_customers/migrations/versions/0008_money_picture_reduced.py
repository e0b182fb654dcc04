"""money picture: a receivable cut to the shipped value when its order ended early (issue 14)

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
    op.add_column("money_receivables", sa.Column("reduced_amount", sa.Numeric(18, 2), nullable=True))


def downgrade():
    op.drop_column("money_receivables", "reduced_amount")
