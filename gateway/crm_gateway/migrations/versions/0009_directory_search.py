"""The directory every signed-in user reads (ADM-16): a position per user, and the keys a search
matches (code, name, pinyin) in a table of their own so that a search is an index range scan.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

from crm_gateway.identity.search_keys import search_keys

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("position", sa.String(length=100), nullable=True))
    keys = op.create_table(
        "user_search_keys",
        sa.Column("user_id", sa.Uuid(as_uuid=False), sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("key", sa.String(length=200), primary_key=True),
    )
    op.create_index("ix_user_search_keys_key", "user_search_keys", ["key"],
                    postgresql_ops={"key": "varchar_pattern_ops"})
    # users made before this revision: from here on the model keeps the keys on every write
    users = op.get_bind().execute(sa.text("SELECT id, code, name FROM users")).all()
    op.bulk_insert(keys, [{"user_id": str(user.id), "key": key}
                          for user in users for key in search_keys(user.code, user.name)])


def downgrade():
    op.drop_table("user_search_keys")
    op.drop_column("users", "position")
