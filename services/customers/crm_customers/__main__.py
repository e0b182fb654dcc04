import sys

if len(sys.argv) > 1 and sys.argv[1] == "import":  # the CLI needs no service plumbing
    from crm_customers.exchange.cli import main as import_main
    import_main(sys.argv[2:])
    sys.exit(0)

from crm_common.bootstrap import prepare_process  # noqa: E402

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_customers.service import CustomersService  # noqa: E402

main(CustomersService, "crm_customers:migrations", health_port=8101)
