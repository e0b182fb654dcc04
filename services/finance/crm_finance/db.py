"""The finance database: one declarative base for the models of every area, and the plumbing."""
from datetime import date

from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from crm_common import branch_time
from crm_common.rollups import rollups_table
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)
ROLLUPS = rollups_table(Base.metadata)  # the report pack's read models (crm_finance.reports)

Money = Numeric(18, 2)
# who sees the debt sees what follows from it: these columns are copied from document to document
SCOPE = ("owner_id", "department_path", "branch")


def today() -> date:
    """The day finance documents are dated, due and aged by: the branch's (23:30 UTC is the next
    day in Beijing), so a due date, an ageing bucket or a dunning day is never a UTC one."""
    return branch_time.current_day()
