"""opportunities, stages, competitors

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UUID = sa.Uuid(as_uuid=False)
MONEY = sa.Numeric(18, 2)


def _timestamps():
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)]


def upgrade():
    op.create_table(
        "opportunity_stages",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Numeric(5, 2), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps())
    op.create_table(
        "competitors",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("profile", sa.Text(), nullable=True),
        sa.Column("strengths", sa.Text(), nullable=True),
        sa.Column("weaknesses", sa.Text(), nullable=True),
        sa.Column("products", postgresql.JSONB(), nullable=False),
        sa.Column("agents", postgresql.JSONB(), nullable=False),
        sa.Column("branches", postgresql.JSONB(), nullable=False),
        *_timestamps())
    op.create_table(
        "competitor_activities",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("competitor_id", UUID, sa.ForeignKey("competitors.id"), nullable=False, index=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reported_by", UUID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    op.create_table(
        "opportunities",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("customer_id", UUID, nullable=False, index=True),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("source", sa.String(100), nullable=True),
        sa.Column("stage_id", UUID, sa.ForeignKey("opportunity_stages.id"), nullable=False),
        sa.Column("probability", sa.Numeric(5, 2), nullable=False),
        sa.Column("expected_amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("expected_close_date", sa.Date(), nullable=False, index=True),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", UUID, nullable=False, index=True),
        sa.Column("department_path", sa.String(500), nullable=False, index=True),
        sa.Column("branch", sa.String(20), nullable=False, index=True),
        *_timestamps())
    op.create_table(
        "competitor_quotes",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("opportunity_id", UUID, sa.ForeignKey("opportunities.id"), nullable=False, index=True),
        sa.Column("competitor_id", UUID, sa.ForeignKey("competitors.id"), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))


def downgrade():
    for table in ("competitor_quotes", "opportunities", "competitor_activities", "competitors",
                  "opportunity_stages"):
        op.drop_table(table)
