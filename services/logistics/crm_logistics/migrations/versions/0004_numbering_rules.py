"""numbering rules: what an administrator set for this service's document numbers (crm_common.numbering)

Revision ID: 0004
Revises: 0003
"""
from alembic import op

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    create_plumbing_tables(op.get_bind(), ("numbering_rules",))


def downgrade():
    drop_plumbing_tables(op.get_bind(), ("numbering_rules",))
