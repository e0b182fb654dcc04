"""The report pack's rollups (issue 17, crm_common.rollups), filled from what exists already, so
the reports cover the past from the first day; events keep them from then on.

Days are the branch's (CRM_TIMEZONE, default Asia/Shanghai), as the handlers take them. What the
past did not record is not invented: opportunities count as closed on `closed_at`, contracts in
force as signed on their last change (`updated_at`, no signing instant was kept before).

Revision ID: 0016
Revises: 0015
"""
import os

import sqlalchemy as sa
from alembic import op

from crm_common import rollups

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# (metric, day, scope, key, currency, figures) of the records as they stand, then their months;
# also what the bench loader runs after its records (bench/reports.py): both write what the handlers would
BACKFILL = [
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount,
                                   weighted)
       SELECT 'pipeline', DATE '0001-01-01', branch, department_path, owner_id, stage_id::text, currency, count(*),
              sum(expected_amount), sum(round(expected_amount * probability / 100, 2))
       FROM opportunities WHERE status = 'open'
       GROUP BY branch, department_path, owner_id, stage_id, currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount)
       SELECT 'opportunities.created', (created_at AT TIME ZONE :zone)::date AS day, branch, department_path,
              owner_id, '', currency, count(*), sum(expected_amount)
       FROM opportunities GROUP BY 2, branch, department_path, owner_id, currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount, days)
       SELECT 'opportunities.closed', (closed_at AT TIME ZONE :zone)::date AS day, branch, department_path,
              owner_id, status, currency, count(*), sum(expected_amount),
              sum((closed_at AT TIME ZONE :zone)::date - (created_at AT TIME ZONE :zone)::date)
       FROM opportunities WHERE status IN ('won', 'lost') AND closed_at IS NOT NULL
       GROUP BY 2, branch, department_path, owner_id, status, currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount)
       SELECT 'orders.sold', (approved_at AT TIME ZONE :zone)::date AS day, branch, department_path, owner_id, '',
              currency, count(*), sum(total)
       FROM orders WHERE approved_at IS NOT NULL AND order_type = 'sale'
       GROUP BY 2, branch, department_path, owner_id, currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount,
                                   quantity)
       SELECT 'products.sold', (o.approved_at AT TIME ZONE :zone)::date AS day, o.branch, o.department_path,
              o.owner_id, l.product_id::text, o.currency, count(*), sum(l.amount), sum(l.quantity)
       FROM orders o JOIN order_lines l ON l.order_id = o.id
       WHERE o.approved_at IS NOT NULL AND o.order_type = 'sale'
       GROUP BY 2, o.branch, o.department_path, o.owner_id, l.product_id, o.currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount)
       SELECT 'contracts.signed', (updated_at AT TIME ZONE :zone)::date AS day, branch, department_path, owner_id,
              '', currency, count(*), sum(amount)
       FROM contracts WHERE status IN ('active', 'terminated', 'closed')
       GROUP BY 2, branch, department_path, owner_id, currency""",
    rollups.MONTHS_FROM_DAYS,
]


def zone() -> str:
    return os.environ.get("CRM_TIMEZONE", "Asia/Shanghai")


def upgrade():
    rollups.create_table(op.get_bind())
    for statement in BACKFILL:
        op.get_bind().execute(sa.text(statement), {"zone": zone()} if ":zone" in statement else {})


def downgrade():
    op.drop_table("report_rollups")
