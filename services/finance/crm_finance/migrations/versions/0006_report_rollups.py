"""The report pack's rollups (issue 17, crm_common.rollups), filled from the receipts and invoices
that exist already; finance's events keep them from then on (crm_finance.reports.handlers).

Revision ID: 0006
Revises: 0005
"""
from alembic import op

from crm_common import rollups

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# day rows, then their months; also what the bench loader runs after writing its records (bench/reports.py)
BACKFILL = [
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount)
       SELECT 'receipts', day, branch, department_path, owner_id, '', currency, sum(n), sum(amount) FROM (
           SELECT received_on AS day, branch, department_path, owner_id, currency, 1 AS n, amount FROM receipts
           UNION ALL
           SELECT v.reversed_on, r.branch, r.department_path, r.owner_id, r.currency, -1, -r.amount
           FROM receipt_reversals v JOIN receipts r ON r.id = v.receipt_id) AS moves
       GROUP BY day, branch, department_path, owner_id, currency""",
    """INSERT INTO report_rollups (metric, day, branch, department_path, owner_id, key, currency, count, amount)
       SELECT 'invoices', issued_on, branch, department_path, owner_id, '', currency,
              sum(CASE WHEN original_invoice_id IS NULL THEN 1 ELSE -1 END),
              sum(CASE WHEN original_invoice_id IS NULL THEN amount ELSE -abs(amount) END)
       FROM invoices WHERE status <> 'draft'
       GROUP BY issued_on, branch, department_path, owner_id, currency""",
    rollups.MONTHS_FROM_DAYS,
]


def upgrade():
    rollups.create_table(op.get_bind())
    for statement in BACKFILL:
        op.execute(statement)


def downgrade():
    op.drop_table("report_rollups")
