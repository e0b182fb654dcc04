"""The approval engine, and pool extensions decided by it (SAL-07, CUS-07).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_sales import approval_flows, pool_extensions
from crm_sales.approval_schemas import (DecisionIn, FlowIn, FlowListQuery, FlowOut, FlowUpdateIn, InstanceOut,
                                        PendingQuery, RejectionIn)


class ApprovalsEntrypoints:
    # approval engine (SAL-07)
    @rpc
    @api(body=FlowIn, returns=FlowOut)
    def create_approval_flow(self, payload):
        return approval_flows.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=FlowUpdateIn, returns=FlowOut)
    def update_approval_flow(self, flow_id, payload):
        return approval_flows.update(self.uow(), self.principal, flow_id, payload)

    @rpc
    @api(returns=FlowOut)
    def get_approval_flow(self, flow_id):
        return approval_flows.get(self.uow(), self.principal, flow_id)

    @rpc
    @api(query=FlowListQuery, returns=FlowOut, page=True)
    def list_approval_flows(self, query):
        return approval_flows.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=PendingQuery, returns=InstanceOut, page=True)
    def list_approvals(self, query):
        return approval_flows.pending_for_me(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut)
    def get_approval(self, approval_id):
        return approval_flows.get_instance(self.uow(), self.principal, approval_id)

    # pool extensions of the customers service, decided here (SAL-07, CUS-07)
    @handles("customers.extension_requested")
    def on_extension_requested(self, uow, envelope, data):
        pool_extensions.open_approval(uow, data)

    @rpc
    @api(body=DecisionIn, returns=InstanceOut)
    def approve_pool_extension(self, request_id, payload=None):
        return pool_extensions.approve(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(body=RejectionIn, returns=InstanceOut)
    def reject_pool_extension(self, request_id, payload):
        return pool_extensions.reject(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def pool_extension_approvals(self, request_id):
        return pool_extensions.approval_history(self.uow(), self.principal, request_id)
