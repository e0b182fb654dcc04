"""Which finance document types have a configured approval flow, as sales last said."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_finance.db import Base


class ApprovalFlowState(Base):
    """One row per document type sales told about (`sales.approval_flow_changed`); none: not held."""
    __tablename__ = "approval_flow_states"

    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    configured: Mapped[bool] = mapped_column(Boolean)
    flow_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    # the change's instant: an older change arriving late (queues do not keep order) is ignored
    as_of: Mapped[datetime] = mapped_column(DateTime(timezone=True))
