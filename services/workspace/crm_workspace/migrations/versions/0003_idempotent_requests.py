"""idempotent requests: the answer of a request sent with an Idempotency-Key, kept with its effect

Revision ID: 0003
Revises: 0002
"""
from alembic import op

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    create_plumbing_tables(op.get_bind(), ("idempotent_requests",))


def downgrade():
    drop_plumbing_tables(op.get_bind(), ("idempotent_requests",))
