"""Entrypoints of bank accounts."""
from crm_common.api_contract import api
from crm_common.pagination import ListQuery
from crm_common.service_base import rpc
from crm_finance.banking import queries, use_cases
from crm_finance.banking.schemas import BankAccountIn, BankAccountOut, BankEntriesOut, EntryListQuery


class BankingEntrypoints:
    @rpc
    @api(body=BankAccountIn, returns=BankAccountOut)
    def create_bank_account(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=BankAccountOut, page=True)
    def list_bank_accounts(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=BankAccountOut)
    def get_bank_account(self, account_id):
        return queries.get(self.uow(), self.principal, account_id)

    @rpc
    @api(query=EntryListQuery, returns=BankEntriesOut)
    def list_bank_entries(self, account_id, query):
        return queries.entries(self.uow(), self.principal, account_id, query)
