from crm_common.bootstrap import prepare_process

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_customers.service import CustomersService  # noqa: E402

main(CustomersService, "crm_customers:migrations", health_port=8101)
