"""The customer group tree (客户群, issue 14): `customer_groups`, built from the distinct free-text
`customers.group_path` values there are, and `customers.group_id` pointing into it.

Each typed path gives its nodes (groups.rules.tree_from_paths: spaces around '/' dropped). A path
that cannot be one (more than three levels, a blank level) gets no group; its customers keep the
text, and a later write names a group for them.

Revision ID: 0018
Revises: 0017
"""
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from crm_customers.groups.rules import tree_from_paths

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "customer_groups",
        sa.Column("id", UUID(as_uuid=False), primary_key=True),
        sa.Column("parent_id", UUID(as_uuid=False), sa.ForeignKey("customer_groups.id")),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("path", sa.String(300), nullable=False, unique=True),
        sa.Column("depth", sa.SmallInteger, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("depth BETWEEN 1 AND 3", name="ck_customer_groups_depth"),
    )
    op.add_column("customers", sa.Column("group_id", UUID(as_uuid=False), sa.ForeignKey("customer_groups.id")))
    op.create_index("ix_customers_group_id", "customers", ["group_id"])
    bind = op.get_bind()
    typed = bind.execute(sa.text("SELECT DISTINCT group_path FROM customers WHERE group_path IS NOT NULL")).scalars()
    ids = {}
    for path, parent, name, depth in tree_from_paths(typed):
        ids[path] = str(uuid.uuid4())
        bind.execute(sa.text("INSERT INTO customer_groups (id, parent_id, name, path, depth) "
                             "VALUES (:id, :parent, :name, :path, :depth)"),
                     {"id": ids[path], "parent": ids.get(parent), "name": name, "path": path, "depth": depth})
    # the customers' paths as the tree spells them ("华东 / 大客户" → "华东/大客户"), in one statement
    bind.execute(sa.text("""
        UPDATE customers c SET group_id = g.id, group_path = g.path FROM customer_groups g
         WHERE c.group_path IS NOT NULL
           AND g.path = array_to_string(ARRAY(SELECT btrim(t.p) FROM unnest(string_to_array(c.group_path, '/'))
                                          WITH ORDINALITY AS t(p, n) ORDER BY t.n), '/')
    """))


def downgrade():
    op.drop_index("ix_customers_group_id", table_name="customers")
    op.drop_column("customers", "group_id")
    op.drop_table("customer_groups")
