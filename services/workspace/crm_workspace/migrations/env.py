from crm_common.migrations import run_migrations
from crm_workspace.db import Base
from crm_workspace.service import WorkspaceService  # noqa: F401  (puts every area's tables on Base)

run_migrations(Base.metadata)
