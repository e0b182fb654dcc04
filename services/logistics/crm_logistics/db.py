"""The logistics database: one declarative base for the models of every area, and the plumbing."""
from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)

Quantity = Numeric(14, 3)
Money = Numeric(18, 2)
# who sees an order sees what follows from it: these columns are copied from document to document
SCOPE = ("owner_id", "department_path", "branch")
