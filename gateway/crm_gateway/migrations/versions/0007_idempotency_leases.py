"""Idempotency claims held under a lease of the owning gateway process.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("idempotency_keys", sa.Column("owner", sa.String(length=32), nullable=True))
    op.add_column("idempotency_keys", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_idempotency_keys_owner", "idempotency_keys", ["owner"],
                    postgresql_where=sa.text("status IS NULL"))


def downgrade():
    op.drop_index("ix_idempotency_keys_owner", table_name="idempotency_keys")
    op.drop_column("idempotency_keys", "lease_until")
    op.drop_column("idempotency_keys", "owner")
