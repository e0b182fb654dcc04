"""The home dashboard (WSP-10)."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.dashboard import queries
from crm_workspace.dashboard.schemas import DashboardOut


class DashboardEntrypoints:
    @rpc
    @api(returns=DashboardOut)
    def dashboard(self):
        return queries.summary(self.uow(), self.principal)
