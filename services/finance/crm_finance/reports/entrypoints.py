"""Entrypoints of the finance reports."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_finance.reports import queries
from crm_finance.reports.schemas import AgeingOut, AgeingQuery, StatementOut, StatementQuery


class ReportsEntrypoints:
    @rpc
    @api(query=AgeingQuery, returns=AgeingOut)
    def ageing_report(self, query):
        return queries.ageing(self.uow(), self.principal, query)

    @rpc
    @api(query=StatementQuery, returns=StatementOut)
    def customer_statement(self, customer_id, query):
        return queries.statement(self.uow(), self.principal, customer_id, query)
