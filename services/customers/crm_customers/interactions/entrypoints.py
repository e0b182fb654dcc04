"""Interactions and visit reports (CUS-05). Mixed into CustomersService; thin wrappers."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.customers.schemas import SubListQuery
from crm_customers.interactions import queries, use_cases
from crm_customers.interactions.schemas import InteractionIn, InteractionOut, InteractionRowOut, InteractionsQuery


class InteractionsEntrypoints:
    @rpc
    @api(body=InteractionIn, returns=InteractionOut)
    def create_interaction(self, customer_id, payload):
        return use_cases.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=InteractionOut, page=True)
    def list_interactions(self, customer_id, query):
        return queries.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=InteractionIn, partial=True, returns=InteractionOut)
    def copy_interaction(self, interaction_id, payload):
        return use_cases.copy(self.uow(), self.principal, interaction_id, payload)

    @rpc
    @api(query=InteractionsQuery, returns=InteractionRowOut, page=True)
    def list_all_interactions(self, query):
        return queries.list_all(self.uow(), self.principal, query)
