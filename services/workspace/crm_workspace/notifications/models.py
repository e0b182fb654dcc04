"""The notification inbox (WSP-08): notifications and their per-user read state."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, Uuid, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import utcnow
from crm_workspace.db import Base


class Notification(Base):
    """Addressed to one user, or to an audience: holders of `audience_permission` whose data
    scope covers the record the notification is about (its owner, department, branch)."""
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("(recipient_user_id IS NULL) <> (audience_permission IS NULL)",
                        name="ck_notifications_one_addressee"),
        CheckConstraint("audience_permission IS NULL OR (owner_id IS NOT NULL"
                        " AND department_path IS NOT NULL AND branch IS NOT NULL)",
                        name="ck_notifications_audience_scoped"),
        Index("ix_notifications_audience", "audience_permission", "branch", "department_path"),
        Index("ix_notifications_created", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    recipient_user_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False), index=True)
    audience_permission: Mapped[str | None] = mapped_column(String(100))
    # the record's scope columns; nullable because a direct notification has none
    owner_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    department_path: Mapped[str | None] = mapped_column(String(500))
    branch: Mapped[str | None] = mapped_column(String(20))
    # the fact told (e.g. "recycle_warning:<customer>:<due>"): one notification per fact, however
    # often its event is delivered or re-emitted
    fact_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # a question that is no longer open ("waiting for approval" once decided or withdrawn)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)


class ApprovalOutcome(Base):
    """How an approval ended, kept so a step notification arriving after the end (events travel
    on separate queues) is stored as resolved instead of waiting forever."""
    __tablename__ = "approval_outcomes"

    approval_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    resolution: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    resolved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NotificationRead(Base):
    """Read state per user, so one audience notification is unread for each approver separately."""
    __tablename__ = "notification_reads"

    notification_id: Mapped[str] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"),
                                                 primary_key=True)
    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                              default=utcnow)
