"""Data dictionary with the pick lists the manuals use.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SEED = {
    "industry": ["制造业 Manufacturing", "批发零售 Wholesale and retail", "信息技术 IT", "金融 Finance",
                 "建筑 Construction", "教育 Education", "医疗 Healthcare", "政府 Government", "其他 Other"],
    "customer_source": ["电话 Phone", "网站 Website", "展会 Trade fair", "转介绍 Referral", "陌生拜访 Cold visit",
                        "市场活动 Campaign", "其他 Other"],
    "value_level": ["A 重点客户 Key", "B 主要客户 Major", "C 普通客户 Regular", "D 一般客户 Minor"],
    "interaction_type": ["电话 Call", "拜访 Visit", "邮件 Email", "会议 Meeting", "陌拜 Cold visit"],
}
CODES = {
    "industry": ["manufacturing", "wholesale_retail", "it", "finance", "construction", "education", "healthcare",
                 "government", "other"],
    "customer_source": ["phone", "website", "trade_fair", "referral", "cold_visit", "campaign", "other"],
    "value_level": ["a", "b", "c", "d"],
    "interaction_type": ["call", "visit", "email", "meeting", "cold_visit"],
}


def upgrade():
    table = op.create_table(
        "dictionary_entries",
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "code"),
    )
    op.bulk_insert(table, [{"kind": kind, "code": code, "label": label, "sort_order": index, "active": True}
                           for kind, labels in SEED.items()
                           for index, (code, label) in enumerate(zip(CODES[kind], labels, strict=True))])
    op.execute("UPDATE roles SET permissions = array_append(permissions, 'admin.dictionaries') "
               "WHERE name = 'Administrator' AND NOT ('admin.dictionaries' = ANY(permissions))")


def downgrade():
    op.execute("UPDATE roles SET permissions = array_remove(permissions, 'admin.dictionaries')")
    op.drop_table("dictionary_entries")
