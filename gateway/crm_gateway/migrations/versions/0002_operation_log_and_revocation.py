"""Operation log (append-only) and early revocation of access tokens.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "operation_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("correlation_id", sa.String(length=100), nullable=False),
        sa.Column("client_ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("occurred_at", "user_id", "action", "target_id", "correlation_id"):
        op.create_index(f"ix_operation_log_{column}", "operation_log", [column])
    # Append-only at the database level too: history cannot be rewritten even by a bug.
    op.execute("""
        CREATE FUNCTION operation_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'operation_log is append-only';
        END $$;
        CREATE TRIGGER operation_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON operation_log
            FOR EACH STATEMENT EXECUTE FUNCTION operation_log_is_append_only();
    """)
    op.add_column("users", sa.Column("tokens_revoked_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE roles SET permissions = array_append(permissions, 'admin.audit') "
               "WHERE name = 'Administrator' AND NOT ('admin.audit' = ANY(permissions))")


def downgrade():
    op.execute("UPDATE roles SET permissions = array_remove(permissions, 'admin.audit')")
    op.drop_column("users", "tokens_revoked_at")
    op.execute("DROP TRIGGER operation_log_append_only ON operation_log; "
               "DROP FUNCTION operation_log_is_append_only()")
    op.drop_table("operation_log")
