"""Knowledge base articles (WSP-04), documents and their shares (WSP-06), SMS (WSP-09)."""
from datetime import datetime

from sqlalchemy import (BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, Text,
                        Uuid, func)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.models import Base


class Article(OwnedColumns, Timestamps, Base):
    __tablename__ = "articles"
    __table_args__ = (
        # trigram indexes serve ILIKE '%词%' for Chinese (see docs/workspace.md for the numbers)
        Index("ix_articles_title_trgm", "title", postgresql_using="gin",
              postgresql_ops={"title": "gin_trgm_ops"}),
        Index("ix_articles_body_trgm", "body", postgresql_using="gin",
              postgresql_ops={"body": "gin_trgm_ops"}),
        # CJK characters and pairs (search_terms.py): two-character words use an index too
        Index("ix_articles_terms", "search_terms", postgresql_using="gin"),
        Index("ix_articles_branch_updated", "branch", "updated_at"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("categories.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    search_terms: Mapped[str] = mapped_column(TSVECTOR)


class Document(OwnedColumns, Timestamps, Base):
    """Metadata only: the bytes live in the storage (local disk or S3) under `storage_key`."""
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)


class DocumentShare(Base):
    """Shared with one user, or with a department (and the departments under it)."""
    __tablename__ = "document_shares"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (department_path IS NULL)",
                        name="ck_document_shares_one_target"),
        Index("ix_document_shares_user", "user_id"),
        Index("ix_document_shares_department", "department_path"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    department_path: Mapped[str | None] = mapped_column(String(500))
    branch: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)


class SmsMessage(OwnedColumns, Timestamps, Base):
    """The sending log (短信查询): one row per message handed to the provider."""
    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_scope_created", "branch", "department_path", "created_at"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    phone: Mapped[str] = mapped_column(String(30), index=True)
    body: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))
    provider: Mapped[str] = mapped_column(String(50))
    provider_message_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(500))


class SmsOptOut(Base):
    """A number that asked not to receive messages; per branch (each branch sends its own)."""
    __tablename__ = "sms_opt_outs"

    branch: Mapped[str] = mapped_column(String(20), primary_key=True)
    phone: Mapped[str] = mapped_column(String(30), primary_key=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)
