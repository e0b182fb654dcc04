"""Every area's tables are on Base.metadata, which alembic and the customer-merge follower read."""
from sqlalchemy import inspect

from crm_workspace.db import Base
from crm_workspace.service import WorkspaceService


def test_the_service_metadata_holds_exactly_the_migrated_tables(service_db):
    migrated = set(inspect(service_db).get_table_names()) - {"alembic_version"}
    assert set(Base.metadata.tables) == migrated
    assert WorkspaceService.customer_tables is Base.metadata


def test_merged_customers_are_followed_in_calls_and_work_orders():
    following = {name for name, table in Base.metadata.tables.items() if "customer_id" in table.c}
    assert following == {"call_records", "work_orders"}
