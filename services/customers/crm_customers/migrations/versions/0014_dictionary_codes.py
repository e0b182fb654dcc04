"""Pick-list fields hold dictionary codes and places region codes (issue 14, ADM-06/07).

Pick lists: the free text written before
becomes the code of the seeded entry it spells (label, its Chinese or English word, or the code
in capitals: 制造业, Manufacturing, "A" → manufacturing, a); what spells none stays as it was and
is refused the next time a write sends it. Import jobs keep the pick lists they were checked with.

Places: province_code, city_code, district_code (crm_common.regions) for every distinct place
written before, and its names become the table's (浙江 → 浙江省); a place that resolves to no
region keeps its text and no code.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# the gateway's seed (its migration 0005): field → {code: label}
SEED = {
    "industry": {"manufacturing": "制造业 Manufacturing", "wholesale_retail": "批发零售 Wholesale and retail",
                 "it": "信息技术 IT", "finance": "金融 Finance", "construction": "建筑 Construction",
                 "education": "教育 Education", "healthcare": "医疗 Healthcare", "government": "政府 Government",
                 "other": "其他 Other"},
    "source": {"phone": "电话 Phone", "website": "网站 Website", "trade_fair": "展会 Trade fair",
               "referral": "转介绍 Referral", "cold_visit": "陌生拜访 Cold visit", "campaign": "市场活动 Campaign",
               "other": "其他 Other"},
    "value_level": {"a": "A 重点客户 Key", "b": "B 主要客户 Major", "c": "C 普通客户 Regular", "d": "D 一般客户 Minor"},
}


def _spellings(code: str, label: str) -> set[str]:
    chinese, _, english = label.partition(" ")
    return {label, chinese, english, code.upper(), code}


def upgrade():
    op.add_column("import_jobs", sa.Column("picks", JSONB(), nullable=True))
    for level in ("province", "city", "district"):
        op.add_column("customers", sa.Column(f"{level}_code", sa.String(length=6), nullable=True))
    connection = op.get_bind()
    _places(connection)
    for field, entries in SEED.items():
        for code, label in entries.items():
            spellings = sorted(s.lower() for s in _spellings(code, label) if s)
            connection.execute(sa.text(f"UPDATE customers SET {field} = :code "  # noqa: S608 (fixed names)
                                       f"WHERE lower(btrim({field})) = ANY(:spellings) AND {field} <> :code"),
                               {"code": code, "spellings": spellings})
    # recycle rules name value levels too (or '*')
    for code, label in SEED["value_level"].items():
        spellings = sorted(s.lower() for s in _spellings(code, label) if s)
        connection.execute(sa.text(
            "UPDATE recycle_rules SET value_level = :code WHERE lower(btrim(value_level)) = ANY(:spellings) "
            "AND value_level <> :code AND NOT EXISTS (SELECT 1 FROM recycle_rules WHERE value_level = :code)"),
            {"code": code, "spellings": spellings})


def _places(connection) -> None:
    from crm_common import regions  # the shared table, as the service resolves with it

    places = connection.execute(sa.text(
        "SELECT DISTINCT province, city, district FROM customers "
        "WHERE province IS NOT NULL OR city IS NOT NULL OR district IS NOT NULL")).all()
    for province, city, district in places:
        try:
            codes = regions.resolve(province, city, district)
        except regions.Unresolved:
            continue
        connection.execute(sa.text(
            "UPDATE customers SET province_code = :province_code, city_code = :city_code, "
            "district_code = :district_code, province = :province_name, city = :city_name, "
            "district = :district_name WHERE province IS NOT DISTINCT FROM :province "
            "AND city IS NOT DISTINCT FROM :city AND district IS NOT DISTINCT FROM :district"),
            {**codes, **{f"{k}_name": v for k, v in regions.names(codes).items()},
             "province": province, "city": city, "district": district})


def downgrade():
    for level in ("province", "city", "district"):
        op.drop_column("customers", f"{level}_code")
    op.drop_column("import_jobs", "picks")
