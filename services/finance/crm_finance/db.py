"""The finance database: one declarative base for the models of every area, and the plumbing."""
from datetime import date

from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from crm_common.records import utcnow
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

Money = Numeric(18, 2)
# who sees the debt sees what follows from it: these columns are copied from document to document
SCOPE = ("owner_id", "department_path", "branch")


def today() -> date:
    """The day finance documents are dated, due and aged by (UTC)."""
    return utcnow().date()
