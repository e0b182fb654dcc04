from crm_common.migrations import run_migrations
from crm_logistics.carriers import models as _carriers  # noqa: F401 (every area's tables in the metadata)
from crm_logistics.db import Base
from crm_logistics.field_service import models as _field_service  # noqa: F401
from crm_logistics.returns import models as _returns  # noqa: F401
from crm_logistics.shipping import models as _shipping  # noqa: F401

run_migrations(Base.metadata)
