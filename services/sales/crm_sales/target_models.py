"""Targets (SAL-10): kept apart from models.py so each file stays small; same metadata."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.records import OwnedColumns, Timestamps
from crm_sales.db import MONEY, Base


class Target(OwnedColumns, Timestamps, Base):
    """A sales target for one rep (`subject` user: owner_id is the rep) or one department
    (`subject` department: the whole subtree under department_path counts)."""
    __tablename__ = "targets"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))  # user | department
    period: Mapped[str] = mapped_column(String(10))  # 2026, 2026-Q3, 2026-07
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # exclusive
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    created_by: Mapped[str] = mapped_column(Uuid(as_uuid=False))
