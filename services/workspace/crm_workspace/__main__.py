from crm_common.bootstrap import prepare_process

prepare_process()

from crm_common.runner import main  # noqa: E402
from crm_workspace.service import WorkspaceService  # noqa: E402

main(WorkspaceService, "crm_workspace:migrations", health_port=8105)
