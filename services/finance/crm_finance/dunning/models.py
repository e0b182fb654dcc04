"""Which receivables were reminded about on which day."""
from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from crm_finance.db import Base


class DunningNotice(Base):
    """Which receivables the dunning job already reminded about on which day (one per day)."""
    __tablename__ = "dunning_notices"

    receivable_id: Mapped[str] = mapped_column(ForeignKey("receivables.id"), primary_key=True)
    run_on: Mapped[date] = mapped_column(Date, primary_key=True)
    days_overdue: Mapped[int]
