"""Stars on customers (issue 17) and the order the exports walk contacts and interactions in
(issue 14: keyset on created_at, id, so a page is an index range, not a sort of them all).

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stars",
        sa.Column("user_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.Uuid(as_uuid=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "record_id"),
    )
    op.create_index("ix_contacts_created", "contacts", ["created_at", "id"])
    op.create_index("ix_interactions_created", "interactions", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_interactions_created", "interactions")
    op.drop_index("ix_contacts_created", "contacts")
    op.drop_table("stars")
