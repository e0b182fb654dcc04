"""The sales tabs of the customer detail (CUS-02). Mixed into SalesService; a thin wrapper."""
from crm_common.api_contract import api
from crm_common.counting import CountsQuery
from crm_common.service_base import rpc
from crm_sales.customer_tabs import queries
from crm_sales.customer_tabs.schemas import SalesTabCountsOut


class CustomerTabsEntrypoints:
    @rpc
    @api(query=CountsQuery, returns=SalesTabCountsOut)
    def customer_tab_counts(self, customer_id, query):
        return queries.tab_counts(self.uow(), self.principal, customer_id, query)
