from crm_common.migrations import run_migrations
from crm_logistics.models import Base

run_migrations(Base.metadata)
