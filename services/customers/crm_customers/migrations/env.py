from crm_common.migrations import run_migrations
from crm_customers.aftersales import models as _aftersales  # noqa: F401 (each area registers its tables)
from crm_customers.contacts import models as _contacts  # noqa: F401
from crm_customers.customers import models as _customers  # noqa: F401
from crm_customers.db import Base
from crm_customers.exchange import models as _exchange  # noqa: F401
from crm_customers.fields import models as _fields  # noqa: F401
from crm_customers.interactions import models as _interactions  # noqa: F401
from crm_customers.money_picture import models as _money_picture  # noqa: F401
from crm_customers.pool import models as _pool  # noqa: F401
from crm_customers.relations import models as _relations  # noqa: F401

run_migrations(Base.metadata)
