from crm_common.bootstrap import prepare_process

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_finance.service import FinanceService  # noqa: E402

main(FinanceService, "crm_finance:migrations", health_port=8104)
