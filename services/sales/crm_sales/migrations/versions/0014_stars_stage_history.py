"""Stars on opportunities and the opportunity's stage history with the time in each stage
(issue 17).

The history is kept by a trigger on `opportunities` (an insert, or a change of `stage_id`, closes
the current stay and opens the next), so every path that moves an opportunity records it. An
opportunity that exists already gets one stay in its current stage from its last change on:
what came before was never recorded.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
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
    op.create_table(
        "opportunity_stage_history",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=True),
        sa.Column("opportunity_id", sa.Uuid(as_uuid=False),
                  sa.ForeignKey("opportunities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("stage_id", sa.Uuid(as_uuid=False), sa.ForeignKey("opportunity_stages.id"), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_opportunity_stage_history_opportunity_id", "opportunity_stage_history",
                    ["opportunity_id", "entered_at"])
    op.execute("""
        CREATE FUNCTION opportunity_stage_history() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF NEW.stage_id IS NOT DISTINCT FROM OLD.stage_id THEN
                    RETURN NEW;
                END IF;
                UPDATE opportunity_stage_history SET left_at = now()
                 WHERE opportunity_id = NEW.id AND left_at IS NULL;
            END IF;
            INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at)
            VALUES (NEW.id, NEW.stage_id, now());
            RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    op.execute("""CREATE TRIGGER opportunity_stage_history AFTER INSERT OR UPDATE OF stage_id ON opportunities
                  FOR EACH ROW EXECUTE FUNCTION opportunity_stage_history()""")
    op.execute("""INSERT INTO opportunity_stage_history (opportunity_id, stage_id, entered_at)
                  SELECT id, stage_id, updated_at FROM opportunities""")


def downgrade():
    op.execute("DROP TRIGGER opportunity_stage_history ON opportunities")
    op.execute("DROP FUNCTION opportunity_stage_history()")
    op.drop_table("opportunity_stage_history")
    op.drop_table("stars")
