"""Customer statistics (CUS-09). Mixed into CustomersService; a thin wrapper over the query."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.reports import queries
from crm_customers.reports.schemas import StatisticsOut, StatisticsQuery


class ReportsEntrypoints:
    @rpc
    @api(query=StatisticsQuery, returns=StatisticsOut)
    def customer_statistics(self, query):
        return queries.count(self.uow(), self.principal, query)
