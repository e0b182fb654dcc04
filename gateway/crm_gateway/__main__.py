from crm_common.bootstrap import prepare_process

prepare_process()

from crm_gateway.main import main  # noqa: E402

main()
