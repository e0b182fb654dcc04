"""The customer detail view (CUS-02). Mixed into CustomersService; a thin wrapper over the query."""
from crm_common.api_contract import api
from crm_common.counting import CountsQuery
from crm_common.service_base import rpc
from crm_customers.profile import queries
from crm_customers.profile.schemas import CustomerDetailOut, CustomerTabCountsOut


class ProfileEntrypoints:
    @rpc
    @api(returns=CustomerDetailOut)
    def get_customer(self, customer_id):
        return queries.get(self.uow(), self.principal, customer_id)

    @rpc
    @api(query=CountsQuery, returns=CustomerTabCountsOut)
    def customer_tab_counts(self, customer_id, query):
        return queries.tab_counts(self.uow(), self.principal, customer_id, query)
