"""After-sales records and complaints (CUS-08). Mixed into CustomersService; thin wrappers."""
from crm_common.api_contract import Contract, api
from crm_common.service_base import rpc
from crm_customers.aftersales import queries, use_cases
from crm_customers.aftersales.schemas import (RECORD_KINDS, ComplaintActionIn, ComplaintIn, ComplaintOut,
                                              ComplaintRowOut, ComplaintsQuery, ExpenseDetailOut)
from crm_customers.customers.schemas import SubListQuery

# The gateway has one route per kind of record; each kind is described as a variant of the two RPCs.
CONTRACT_VARIANTS = {
    **{f"create_record:{kind}": Contract(body=spec.body, returns=spec.out) for kind, spec in RECORD_KINDS.items()},
    **{f"list_records:{kind}": Contract(query=SubListQuery, returns=spec.out, page=True)
       for kind, spec in RECORD_KINDS.items()},
}


class AftersalesEntrypoints:
    @rpc
    def create_record(self, kind, customer_id, payload):
        return use_cases.create_record(self.uow(), self.principal, kind, customer_id, payload)

    @rpc
    def list_records(self, kind, customer_id, query):
        return queries.list_records(self.uow(), self.principal, kind, customer_id, query)

    @rpc
    @api(returns=ExpenseDetailOut)
    def get_expense(self, expense_id):
        return queries.get_expense(self.uow(), self.principal, expense_id, self.approves)

    @rpc
    @api(body=ComplaintIn, returns=ComplaintOut)
    def create_complaint(self, customer_id, payload):
        return use_cases.create_complaint(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=ComplaintOut, page=True)
    def list_complaints(self, customer_id, query):
        return queries.list_complaints(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=ComplaintActionIn, returns=ComplaintOut)
    def complaint_action(self, complaint_id, payload, handler=None):
        return use_cases.act_on_complaint(self.uow(), self.principal, complaint_id, payload, handler)

    @rpc
    @api(query=ComplaintsQuery, returns=ComplaintRowOut, page=True)
    def list_all_complaints(self, query):
        return queries.list_all_complaints(self.uow(), self.principal, query)
