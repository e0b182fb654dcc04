"""The declarative base of every area's models, with the shared plumbing tables (outbox, …)."""
from sqlalchemy.orm import DeclarativeBase

from crm_common.rollups import rollups_table
from crm_common.stars import stars_table
from crm_common.teams import team_members_table
from crm_common.tables import plumbing_tables


class Base(DeclarativeBase):
    pass


plumbing_tables(Base.metadata)
STARS = stars_table(Base.metadata)  # the users' stars on this service's records (issue 17)
TEAM = team_members_table(Base.metadata)  # the customers' team members (团队成员, issue 17)
ROLLUPS = rollups_table(Base.metadata)  # the report pack's read models (crm_customers.reports)
