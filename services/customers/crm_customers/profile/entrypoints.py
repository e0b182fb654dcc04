"""The customer detail view (CUS-02). Mixed into CustomersService; a thin wrapper over the query."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.profile import queries
from crm_customers.profile.schemas import CustomerDetailOut


class ProfileEntrypoints:
    @rpc
    @api(returns=CustomerDetailOut)
    def get_customer(self, customer_id):
        return queries.get(self.uow(), self.principal, customer_id)
