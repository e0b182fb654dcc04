"""fulfilment closing: an ended order releases what was not shipped (issue 14, ending an order)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("fulfilments", sa.Column("closed_at", sa.DateTime(timezone=True)))
    op.add_column("fulfilments", sa.Column("closed_reason", sa.String(200)))
    op.add_column("fulfilment_lines", sa.Column("released", sa.Numeric(14, 3), nullable=False, server_default="0"))
    op.create_check_constraint("ck_fulfilment_lines_released", "fulfilment_lines",
                               "released >= 0 AND shipped + released <= ordered")


def downgrade():
    op.drop_constraint("ck_fulfilment_lines_released", "fulfilment_lines")
    op.drop_column("fulfilment_lines", "released")
    op.drop_column("fulfilments", "closed_reason")
    op.drop_column("fulfilments", "closed_at")
