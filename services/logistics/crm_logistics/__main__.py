from crm_common.bootstrap import prepare_process

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_logistics.service import LogisticsService  # noqa: E402

main(LogisticsService, "crm_logistics:migrations", health_port=8103)
