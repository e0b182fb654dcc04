"""Announcements (公告, WSP-01) and their read receipts."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_workspace.db import Base


class Announcement(OwnedColumns, Timestamps, Base):
    """Owner, department and branch are the author's: receipts are scoped by them."""
    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint("expires_at IS NULL OR expires_at > published_at",
                        name="ck_announcements_expires_after_published"),
        Index("ix_announcements_branch_published", "branch", "published_at"),
        # the audience test is an array overlap (&&), which a GIN index serves
        Index("ix_announcements_audience", "audience_department_paths", postgresql_using="gin"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # empty = the whole branch
    audience_department_paths: Mapped[list[str]] = mapped_column(ARRAY(String(500)), default=list)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # reaches nobody since


class AnnouncementRead(Base):
    """A read receipt; the primary key makes marking as read idempotent."""
    __tablename__ = "announcement_reads"

    announcement_id: Mapped[str] = mapped_column(ForeignKey("announcements.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                              default=utcnow)
