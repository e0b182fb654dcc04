"""The sales database: one metadata for every area's models, and the column types they share."""
from sqlalchemy import Numeric
from sqlalchemy.orm import DeclarativeBase

from crm_common.rollups import rollups_table
from crm_common.stars import stars_table
from crm_common.teams import team_members_table
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)
STARS = stars_table(Base.metadata)  # the users' stars on this service's records (issue 17)
TEAM = team_members_table(Base.metadata)  # team members of opportunities and contracts (issue 17)
ROLLUPS = rollups_table(Base.metadata)  # the report pack's read models (crm_sales.reports)

MONEY = Numeric(18, 2)
QUANTITY = Numeric(14, 3)


def jsonable(value):
    """What a JSONB column can hold: decimals and ids as strings, the rest as given."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    return str(value)
