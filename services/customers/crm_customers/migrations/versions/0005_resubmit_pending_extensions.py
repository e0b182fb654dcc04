"""Extension requests still pending go to the sales approval engine, which decides them now

Revision ID: 0005
Revises: 0004
"""
from alembic import op

from crm_customers.pool.use_cases.extensions import resubmit_pending

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    resubmit_pending(op.get_bind())


def downgrade():
    pass  # approvals opened in sales stay; nothing here to undo
