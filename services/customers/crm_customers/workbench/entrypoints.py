"""Mixed into CustomersService: the workbench's lists."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.customers.schemas import CustomerOut
from crm_customers.workbench import queries
from crm_customers.workbench.schemas import FollowUpOut, FollowUpQuery, RecycleDueQuery


class WorkbenchEntrypoints:
    @rpc
    @api(query=RecycleDueQuery, returns=CustomerOut, page=True)
    def list_recycle_due(self, query):
        return queries.recycle_due(self.uow(), self.principal, query)

    @rpc
    @api(query=FollowUpQuery, returns=FollowUpOut, page=True)
    def list_follow_ups(self, query):
        return queries.follow_ups(self.uow(), self.principal, query)
