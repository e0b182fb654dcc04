"""Read paths that do not grow with the database (issue 15).

- The customer history is read newest first by id (detail view, history list with an id
  cursor); its index led with (customer_id, created_at), so PostgreSQL walked the primary key
  backwards over every customer's history. Now (customer_id, id).
- Name search: a GIN index over the lower-cased character pairs of the name (like pg_bigm).
  Trigrams cannot answer two-character Chinese words (天马, 华为), the most common length; pairs
  answer every fragment of two or more characters, so they replace the trigram index.
- A rep's own customers sorted by name: (owner_id, name, id) on live rows.

Revision ID: 0012
Revises: 0011
"""
from alembic import op

from crm_customers.customers.models import NAME_BIGRAMS_SQL

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_customer_history_customer", table_name="customer_history")
    op.create_index("ix_customer_history_customer", "customer_history", ["customer_id", "id"])
    op.execute(NAME_BIGRAMS_SQL)
    op.drop_index("ix_customers_name_trgm", table_name="customers")
    op.execute("CREATE INDEX ix_customers_name_bigrams ON customers USING gin (customer_name_bigrams(name))")
    op.execute("CREATE INDEX ix_customers_owner_name ON customers (owner_id, name, id) WHERE deleted_at IS NULL")


def downgrade():
    op.drop_index("ix_customers_owner_name", table_name="customers")
    op.drop_index("ix_customers_name_bigrams", table_name="customers")
    op.execute("DROP FUNCTION customer_name_bigrams(text)")
    op.execute("CREATE INDEX ix_customers_name_trgm ON customers USING gin (name gin_trgm_ops)")
    op.drop_index("ix_customer_history_customer", table_name="customer_history")
    op.create_index("ix_customer_history_customer", "customer_history", ["customer_id", "created_at", "id"])
