"""customer_month_counts: per-month counts kept by a trigger, for the trend statistics

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from crm_customers.customers.models import MONTH, REBUILD_SQL

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        "customer_month_counts",
        sa.Column("branch", sa.String(20), nullable=False),
        sa.Column("department_path", sa.String(500), nullable=False),
        sa.Column("owner_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("branch", "department_path", "owner_id", "month"))
    op.execute(f"""
    CREATE FUNCTION customers_month_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL AND NOT OLD.in_pool THEN
        UPDATE customer_month_counts SET count = count - 1
         WHERE branch = OLD.branch AND department_path = OLD.department_path AND owner_id = OLD.owner_id
           AND month = {MONTH.format(r='OLD')};
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL AND NOT NEW.in_pool THEN
        INSERT INTO customer_month_counts (branch, department_path, owner_id, month, count)
        VALUES (NEW.branch, NEW.department_path, NEW.owner_id, {MONTH.format(r='NEW')}, 1)
        ON CONFLICT (branch, department_path, owner_id, month)
        DO UPDATE SET count = customer_month_counts.count + 1;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER customers_month_count AFTER INSERT OR DELETE
        OR UPDATE OF branch, department_path, owner_id, created_at, deleted_at, in_pool
        ON customers FOR EACH ROW EXECUTE FUNCTION customers_month_count();
    {REBUILD_SQL}
    """)


def downgrade():
    op.execute("DROP TRIGGER customers_month_count ON customers; DROP FUNCTION customers_month_count();")
    op.drop_table("customer_month_counts")
