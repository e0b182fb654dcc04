from crm_common.migrations import run_migrations
from crm_sales.db import Base

run_migrations(Base.metadata)
