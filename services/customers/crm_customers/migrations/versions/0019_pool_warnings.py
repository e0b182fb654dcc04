"""pool_warnings: the recycle warning's mark in a narrow table of its own; the month counts'
trigger steps aside for a set-based statement that keeps them itself

The nightly run (bench/pool.py, 1,000,000 customers) warns ~30,000 customers and recycles as many;
with the mark in `customers` every warning was a non-HOT rewrite of a wide row through its 24
indexes, and every recycled customer fired the trigger's own UPDATE of its month's count (the same
few rows, thousands of times in one transaction). Now a warning is one narrow row, and the recycle
sets `crm.month_counts_by_statement` for its statement and subtracts per month once.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

from crm_customers.customers.models import MONTH_COUNTS_SETTING

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_COLUMNS = "branch, department_path, owner_id, created_at, deleted_at, in_pool"


def _trigger(when: str) -> str:
    return f"""
    DROP TRIGGER customers_month_count ON customers;
    CREATE TRIGGER customers_month_count AFTER INSERT OR DELETE OR UPDATE OF {_COLUMNS}
        ON customers FOR EACH ROW {when} EXECUTE FUNCTION customers_month_count();"""


def upgrade():
    op.create_table(
        "pool_warnings",
        sa.Column("customer_id", sa.Uuid(as_uuid=False), sa.ForeignKey("customers.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("warned_for", sa.DateTime(timezone=True), nullable=False))
    op.execute("INSERT INTO pool_warnings (customer_id, warned_for)"
               " SELECT id, recycle_warned_for FROM customers WHERE recycle_warned_for IS NOT NULL")
    op.drop_column("customers", "recycle_warned_for")
    # WHEN, not a test inside the function: a row the setting skips queues no trigger event at all
    op.execute(_trigger(f"WHEN (coalesce(current_setting('{MONTH_COUNTS_SETTING}', true), '') <> 'on')"))


def downgrade():
    op.execute(_trigger(""))
    op.add_column("customers", sa.Column("recycle_warned_for", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE customers c SET recycle_warned_for = w.warned_for FROM pool_warnings w WHERE w.customer_id = c.id")
    op.drop_table("pool_warnings")
