"""Contracts, their changes and expiry reminders (SAL-08).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.records import utcnow
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_sales.approvals.schemas import DecisionIn, InstanceOut, RejectionIn, SubmitIn
from crm_sales.contracts import queries, use_cases
from crm_sales.contracts.schemas import (ChangeIn, ContractIn, ContractListQuery, ContractOut, ReasonIn,
                                         RemindersIn, RemindersOut, RenewalIn)


class ContractsEntrypoints:
    # contracts (SAL-08)
    @rpc
    @api(body=ContractIn, returns=ContractOut)
    def create_contract(self, payload):
        return use_cases.create(self.uow(), self.principal, payload, self.lookup_customer)

    @rpc
    @api(body=ContractIn, partial=True, returns=ContractOut)
    def update_contract(self, contract_id, payload):
        return use_cases.update(self.uow(), self.principal, contract_id, payload, self.lookup_customer)

    @rpc
    @api(returns=ContractOut)
    def get_contract(self, contract_id):
        return queries.get(self.uow(), self.principal, contract_id)

    @rpc
    @api(query=ContractListQuery, returns=ContractOut, page=True)
    def list_contracts(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def contract_approvals(self, contract_id):
        return queries.approval_history(self.uow(), self.principal, contract_id)

    @rpc
    @api(body=SubmitIn, returns=ContractOut)
    def submit_contract(self, contract_id, payload=None):
        return use_cases.submit(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=NoInput, returns=ContractOut)
    def withdraw_contract(self, contract_id, payload=None):
        return use_cases.withdraw(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=DecisionIn, returns=ContractOut)
    def approve_contract(self, contract_id, payload=None):
        return use_cases.approve(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ContractOut)
    def reject_contract(self, contract_id, payload):
        return use_cases.reject(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ChangeIn, returns=ContractOut)
    def change_contract(self, contract_id, payload):
        return use_cases.change(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ReasonIn, returns=ContractOut)
    def terminate_contract(self, contract_id, payload):
        return use_cases.terminate(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ReasonIn, returns=ContractOut)
    def close_contract(self, contract_id, payload):
        return use_cases.close(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=DecisionIn, returns=ContractOut)
    def approve_contract_change(self, change_id, payload=None):
        return use_cases.approve_change(self.uow(), self.principal, change_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ContractOut)
    def reject_contract_change(self, change_id, payload):
        return use_cases.reject_change(self.uow(), self.principal, change_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def contract_change_approvals(self, change_id):
        return queries.change_approval_history(self.uow(), self.principal, change_id)

    @rpc
    @api(body=RenewalIn, returns=ContractOut)
    def renew_contract(self, contract_id, payload):
        return use_cases.renew(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=RemindersIn, returns=RemindersOut)
    def run_contract_reminders(self, payload=None):
        return use_cases.run_expiry_reminders(self.uow(), self.principal, payload)

    @timer(interval=3600)
    def contract_reminders_timer(self):
        use_cases.send_expiry_reminders(self.uow(), utcnow())
