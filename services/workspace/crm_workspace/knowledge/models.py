"""Knowledge base articles (知识库, WSP-04)."""
from sqlalchemy import ForeignKey, Index, String, Text, Uuid
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_workspace.db import Base


class Article(OwnedColumns, Timestamps, Base):
    __tablename__ = "articles"
    __table_args__ = (
        # trigram indexes serve ILIKE '%词%' for Chinese (see docs/workspace.md for the numbers)
        Index("ix_articles_title_trgm", "title", postgresql_using="gin",
              postgresql_ops={"title": "gin_trgm_ops"}),
        Index("ix_articles_body_trgm", "body", postgresql_using="gin",
              postgresql_ops={"body": "gin_trgm_ops"}),
        # CJK characters and pairs (rules.py): two-character words use an index too
        Index("ix_articles_terms", "search_terms", postgresql_using="gin"),
        Index("ix_articles_branch_updated", "branch", "updated_at"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    search_terms: Mapped[str] = mapped_column(TSVECTOR)
