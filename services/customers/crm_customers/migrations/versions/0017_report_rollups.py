"""The report pack's rollups (issue 17, crm_common.rollups), filled from what exists already;
customers' events keep them from then on (crm_customers.reports.handlers).

Follow-ups count for their author; the past did not keep the author's department, so it is the
customer's. Leads and conversions come from the customer history (kinds `created` with status
lead, `converted`), pool movements from its owner-change rows. Days are the branch's
(CRM_TIMEZONE, default Asia/Shanghai).

Revision ID: 0017
Revises: 0016
"""
import os

import sqlalchemy as sa
from alembic import op

from crm_common import rollups

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# day rows, then their months; also what the bench loader runs after writing its records (bench/reports.py)
BACKFILL = [
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count)
       SELECT 'follow_ups', (i.occurred_at AT TIME ZONE :zone)::date AS day, c.branch, c.department_path,
              i.author_id, i.kind, '', count(*)
       FROM interactions i JOIN customers c ON c.id = i.customer_id
       GROUP BY 2, c.branch, c.department_path, i.author_id, i.kind""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, days)
       SELECT CASE WHEN h.kind = 'converted' THEN 'leads.converted' ELSE 'leads.created' END,
              (h.created_at AT TIME ZONE :zone)::date AS day, c.branch, c.department_path, c.owner_id, '', '',
              count(*), sum(CASE WHEN h.kind = 'converted'
                                 THEN (h.created_at AT TIME ZONE :zone)::date - (c.created_at AT TIME ZONE :zone)::date
                                 ELSE 0 END)
       FROM customer_history h JOIN customers c ON c.id = h.customer_id
       WHERE h.kind = 'converted' OR (h.kind = 'created' AND h.data->>'status' = 'lead')
       GROUP BY 1, 2, c.branch, c.department_path, c.owner_id""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count)
       SELECT CASE WHEN (h.data->>'in_pool')::boolean THEN 'pool.in' ELSE 'pool.out' END,
              (h.created_at AT TIME ZONE :zone)::date AS day, c.branch, h.data->>'department_path',
              (CASE WHEN (h.data->>'in_pool')::boolean THEN h.data->>'previous_owner_id'
                    ELSE h.data->>'owner_id' END)::uuid, h.kind, '', count(*)
       FROM customer_history h JOIN customers c ON c.id = h.customer_id
       WHERE h.kind IN ('released', 'recycled', 'claimed', 'assigned')
         AND ((h.data->>'in_pool')::boolean
              OR h.data->>'previous_owner_id' = '00000000-0000-0000-0000-000000000000')
       GROUP BY 1, 2, c.branch, 4, 5, h.kind""",
    rollups.MONTHS_FROM_DAYS,
]


def upgrade():
    rollups.create_table(op.get_bind())
    zone = os.environ.get("CRM_TIMEZONE", "Asia/Shanghai")
    for statement in BACKFILL:
        op.get_bind().execute(sa.text(statement), {"zone": zone} if ":zone" in statement else {})


def downgrade():
    op.drop_table("report_rollups")
