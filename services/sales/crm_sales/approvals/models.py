"""The approval engine's tables (SAL-07): configured flows, one instance per submission, its history."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_common.records import OwnedColumns, Timestamps, utcnow
from crm_sales.db import Base


class ApprovalFlow(Timestamps, Base):
    """SAL-07: the configured flow of one document type; editing bumps `version`. A retired flow
    stays for the history; the document type is then back to its default (one live flow per type)."""
    __tablename__ = "approval_flows"
    __table_args__ = (Index("uq_approval_flows_live", "document_type", unique=True,
                            postgresql_where=text("retired_at IS NULL")),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    allow_self_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    steps: Mapped[list] = mapped_column(JSONB)
    # nobody to approve a stage: pass it, or give it to the flow's administrator
    no_approver: Mapped[str] = mapped_column(String(20), default="auto_pass")
    admin_user_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    # a resubmission after a rejection starts at the first stage or at the one that rejected
    restart: Mapped[str] = mapped_column(String(20), default="first")
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApprovalPerson(Base):
    """What the engine knows of a user of the gateway: their direct superior (直属上级), roles and
    whether they still work here. The gateway sends it whenever it saves a user."""
    __tablename__ = "approval_people"

    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    branch: Mapped[str] = mapped_column(String(20), index=True)
    manager_id: Mapped[str | None] = mapped_column(Uuid(as_uuid=False))
    role_ids: Mapped[list] = mapped_column(ARRAY(String(36)), default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApprovalInstance(OwnedColumns, Timestamps, Base):
    """One submission of one document: the snapshot of the flow's matching steps and where it is.

    owner/department/branch are the document's (who may see the history); `target_path` and
    `current_permission` / `current_user_ids` say who may act on the current stage (the users
    of a 会签 stage who have not approved yet, every user of a 或签 one).
    """
    __tablename__ = "approval_instances"
    __table_args__ = (Index("ix_approval_instances_current_user_ids", "current_user_ids", postgresql_using="gin"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    document_number: Mapped[str] = mapped_column(String(40))
    flow_version: Mapped[int] = mapped_column(Integer)
    allow_self_approval: Mapped[bool] = mapped_column(Boolean)
    steps: Mapped[list] = mapped_column(JSONB)
    facts: Mapped[dict] = mapped_column(JSONB)
    submitter_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    submitter_department_path: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), index=True)
    current_step: Mapped[int] = mapped_column(Integer, default=0)
    current_permission: Mapped[str | None] = mapped_column(String(100))
    current_user_ids: Mapped[list | None] = mapped_column(JSONB)
    target_path: Mapped[str | None] = mapped_column(String(500), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    actions: Mapped[list["ApprovalAction"]] = relationship(
        order_by="ApprovalAction.created_at", cascade="all, delete-orphan")


class ApprovalAction(Base):
    """The visible history (审批流): who did what on which step, with their comment."""
    __tablename__ = "approval_actions"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("approval_instances.id"), index=True)
    step_index: Mapped[int | None] = mapped_column(Integer)
    step_name: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
