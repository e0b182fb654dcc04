"""Returns (SAL-09).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_sales.approvals.schemas import DecisionIn, InstanceOut, RejectionIn
from crm_sales.returns import queries, use_cases
from crm_sales.returns.schemas import ReturnIn, ReturnListQuery, ReturnOut


class ReturnsEntrypoints:
    @rpc
    @api(body=ReturnIn, returns=ReturnOut)
    def create_return(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=ReturnOut)
    def get_return(self, return_id):
        return queries.get(self.uow(), self.principal, return_id)

    @rpc
    @api(query=ReturnListQuery, returns=ReturnOut, page=True)
    def list_returns(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def return_approvals(self, return_id):
        return queries.approval_history(self.uow(), self.principal, return_id)

    @rpc
    @api(body=DecisionIn, returns=ReturnOut)
    def approve_return(self, return_id, payload=None):
        return use_cases.approve(self.uow(), self.principal, return_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ReturnOut)
    def reject_return(self, return_id, payload):
        return use_cases.reject(self.uow(), self.principal, return_id, payload)
