"""Category trees: business categories of calls and work orders (WSP-03), knowledge base (WSP-04)
and document (WSP-06) categories."""
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import Timestamps
from crm_workspace.db import Base


class Category(Timestamps, Base):
    """A pick-list tree per branch. `path` is "/<id>/<id>/" so a subtree is a prefix."""
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("kind IN ('business', 'article', 'document')", name="ck_categories_kind"),
        UniqueConstraint("branch", "kind", "parent_id", "name", name="uq_categories_sibling_name",
                         postgresql_nulls_not_distinct=True),  # two roots may not share a name either
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(1000), index=True)
    branch: Mapped[str] = mapped_column(String(20))
