from crm_common.bootstrap import prepare_process

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_sales.service import SalesService  # noqa: E402

main(SalesService, "crm_sales:migrations", health_port=8102)
