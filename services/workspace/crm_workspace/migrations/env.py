from crm_common.migrations import run_migrations
from crm_workspace.models import Base

run_migrations(Base.metadata)
