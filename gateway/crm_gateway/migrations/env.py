from crm_common.migrations import run_migrations
from crm_gateway.identity.models import Base
from crm_gateway import dictionary, idempotency, operation_log  # noqa: F401  (register their tables on Base)
from crm_gateway.identity import api_keys  # noqa: F401

run_migrations(Base.metadata)
