"""The approval engine, and pool extensions decided by it (SAL-07, CUS-07).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_sales.approvals import handlers, queries, use_cases
from crm_common.validation import NoInput
from crm_sales.approvals.schemas import (DecisionIn, FlowIn, FlowListQuery, FlowOut, FlowUpdateIn,
                                         InstanceOut, PendingQuery, PeopleIn, PreviewIn, PreviewOut, RejectionIn,
                                         SyncedOut)


class ApprovalsEntrypoints:
    # approval engine (SAL-07)
    @rpc
    @api(body=FlowIn, returns=FlowOut)
    def create_approval_flow(self, payload):
        return use_cases.create_flow(self.uow(), self.principal, payload)

    @rpc
    @api(body=FlowUpdateIn, returns=FlowOut)
    def update_approval_flow(self, flow_id, payload):
        return use_cases.update_flow(self.uow(), self.principal, flow_id, payload)

    @rpc
    @api(body=NoInput, returns=FlowOut)
    def retire_approval_flow(self, flow_id, payload=None):
        return use_cases.retire_flow(self.uow(), self.principal, flow_id, payload)

    @rpc
    @api(body=PreviewIn, returns=PreviewOut)
    def preview_approval(self, payload):
        return use_cases.preview(self.uow(), self.principal, payload)

    @rpc
    @api(body=PeopleIn, returns=SyncedOut)
    def sync_approval_people(self, payload):
        return use_cases.sync_people(self.uow(), self.principal, payload)

    @rpc
    @api(body=DecisionIn, returns=InstanceOut)
    def approve_approval(self, approval_id, payload=None):
        return use_cases.decide_approval(self.uow(), self.principal, approval_id, "approve", payload)

    @rpc
    @api(body=RejectionIn, returns=InstanceOut)
    def reject_approval(self, approval_id, payload):
        return use_cases.decide_approval(self.uow(), self.principal, approval_id, "reject", payload)

    @rpc
    @api(body=NoInput, returns=InstanceOut)
    def withdraw_approval(self, approval_id, payload=None):
        return use_cases.withdraw_approval(self.uow(), self.principal, approval_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def document_approvals(self, document_type, document_id):
        return queries.document_history(self.uow(), self.principal, document_type, document_id)

    # asked by the customers service and finance for a document outside the caller's scope
    @rpc
    def approves_document(self, document_type, document_id):
        return queries.approves(self.uow(), self.principal, document_type, document_id)

    # finance's invoices, reversals and receipts held for a configured flow (FIN-02, FIN-05)
    @handles("finance.approval_requested")
    def on_finance_approval_requested(self, uow, envelope, data):
        handlers.open_finance_approval(uow, data)

    @rpc
    @api(returns=FlowOut)
    def get_approval_flow(self, flow_id):
        return queries.get_flow(self.uow(), self.principal, flow_id)

    @rpc
    @api(query=FlowListQuery, returns=FlowOut, page=True)
    def list_approval_flows(self, query):
        return queries.list_flows(self.uow(), self.principal, query)

    @rpc
    @api(query=PendingQuery, returns=InstanceOut, page=True)
    def list_approvals(self, query):
        return queries.pending_for_me(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut)
    def get_approval(self, approval_id):
        return queries.get_instance(self.uow(), self.principal, approval_id)

    # pool extensions of the customers service, decided here (SAL-07, CUS-07)
    @handles("customers.extension_requested")
    def on_extension_requested(self, uow, envelope, data):
        handlers.open_extension_approval(uow, data)

    @rpc
    @api(body=DecisionIn, returns=InstanceOut)
    def approve_pool_extension(self, request_id, payload=None):
        return use_cases.approve_extension(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(body=RejectionIn, returns=InstanceOut)
    def reject_pool_extension(self, request_id, payload):
        return use_cases.reject_extension(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def pool_extension_approvals(self, request_id):
        return queries.extension_history(self.uow(), self.principal, request_id)

    # customer expense reimbursements of the customers service, decided here (CUS-08)
    @handles("customers.expense_recorded")
    def on_expense_recorded(self, uow, envelope, data):
        handlers.open_expense_approval(uow, data)

    @rpc
    @api(body=DecisionIn, returns=InstanceOut)
    def approve_expense(self, expense_id, payload=None):
        return use_cases.approve_expense(self.uow(), self.principal, expense_id, payload)

    @rpc
    @api(body=RejectionIn, returns=InstanceOut)
    def reject_expense(self, expense_id, payload):
        return use_cases.reject_expense(self.uow(), self.principal, expense_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def expense_approvals(self, expense_id):
        return queries.expense_history(self.uow(), self.principal, expense_id)
