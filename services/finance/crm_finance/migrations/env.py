from crm_common.migrations import run_migrations
from crm_finance.banking import models as _banking  # noqa: F401 (every area's tables in the metadata)
from crm_finance.db import Base
from crm_finance.dunning import models as _dunning  # noqa: F401
from crm_finance.invoicing import models as _invoicing  # noqa: F401
from crm_finance.payments import models as _payments  # noqa: F401
from crm_finance.receivables import models as _receivables  # noqa: F401

run_migrations(Base.metadata)
