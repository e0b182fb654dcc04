from crm_common.migrations import run_migrations
from crm_gateway.identity.models import Base
from crm_gateway import operation_log  # noqa: F401  (registers its table on Base)

run_migrations(Base.metadata)
