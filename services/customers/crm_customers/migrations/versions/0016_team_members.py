"""Team members of customers (团队成员, issue 17): crm_common.teams.team_members_table.

Revision ID: 0016
Revises: 0015
"""
from alembic import op

from crm_common.teams import create_team_members_table, drop_team_members_table

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    create_team_members_table(op.get_bind())


def downgrade():
    drop_team_members_table(op.get_bind())
