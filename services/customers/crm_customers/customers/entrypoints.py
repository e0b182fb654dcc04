"""Customers and leads (CUS-01, 02, 06). Mixed into CustomersService; thin wrappers over the use cases."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.stars import StarOut
from crm_common.validation import NoInput
from crm_customers.customers import queries, use_cases
from crm_customers.customers.schemas import (CustomerCreateIn, CustomerIn, CustomerListQuery, CustomerOut,
                                             HistoryListQuery, HistoryOut, StageIn)


class CustomersEntrypoints:
    @rpc
    @api(body=CustomerCreateIn, returns=CustomerOut)
    def create_customer(self, payload, picks):
        return use_cases.create(self.uow(), self.principal, payload, picks)

    @rpc
    @api(body=CustomerIn, partial=True, returns=CustomerOut)
    def update_customer(self, customer_id, payload, picks):
        return use_cases.update(self.uow(), self.principal, customer_id, payload, picks)

    @rpc
    @api(query=CustomerListQuery, returns=CustomerOut, page=True)
    def list_customers(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=StarOut)
    def star_customer(self, customer_id):
        return use_cases.set_star(self.uow(), self.principal, customer_id, True)

    @rpc
    @api(returns=StarOut)
    def unstar_customer(self, customer_id):
        return use_cases.set_star(self.uow(), self.principal, customer_id, False)

    @rpc
    @api(query=HistoryListQuery, returns=HistoryOut, page=True)
    def customer_history(self, customer_id, query):
        return queries.history(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=CustomerCreateIn, returns=CustomerOut)
    def create_lead(self, payload, picks):
        return use_cases.create_lead(self.uow(), self.principal, payload, picks)

    @rpc
    @api(body=StageIn, returns=CustomerOut)
    def change_stage(self, customer_id, payload):
        return use_cases.change_stage(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def convert_lead(self, customer_id, payload):
        return use_cases.convert(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def back_to_lead(self, customer_id, payload):
        return use_cases.back_to_lead(self.uow(), self.principal, customer_id, payload)
