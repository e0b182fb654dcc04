"""Team members of opportunities and contracts (团队成员, issue 17): crm_common.teams.team_members_table.

Revision ID: 0015
Revises: 0014
"""
from alembic import op

from crm_common.teams import create_team_members_table, drop_team_members_table

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    create_team_members_table(op.get_bind())


def downgrade():
    drop_team_members_table(op.get_bind())
