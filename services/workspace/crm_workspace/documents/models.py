"""The document centre (文档中心, WSP-06): metadata and shares; the bytes live in the storage."""
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, String, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.db import Base


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
