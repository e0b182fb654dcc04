from crm_common.migrations import run_migrations
from crm_customers import admin_models, aftersales_models, pool_models  # noqa: F401 (register tables)
from crm_customers.models import Base
from crm_customers.money_picture import models as money_picture_models  # noqa: F401

run_migrations(Base.metadata)
