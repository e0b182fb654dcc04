"""Entrypoints of the finance reports, and the handlers keeping the report pack's rollups."""
from crm_common import exports
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_finance.reports import handlers, queries
from crm_finance.reports.schemas import (AgeingOut, AgeingQuery, ReceiptRankingOut, ReceiptRankingQuery, ReceiptsOut,
                                         ReceiptsQuery, StatementOut, StatementQuery)


class ReportsEntrypoints:
    @rpc
    @api(query=AgeingQuery, returns=AgeingOut)
    def ageing_report(self, query):
        return queries.ageing(self.uow(), self.principal, query)

    @rpc
    @api(query=StatementQuery, returns=StatementOut)
    def customer_statement(self, customer_id, query):
        return queries.statement(self.uow(), self.principal, customer_id, query)

    # the report pack (issue 17)
    @rpc
    @api(query=ReceiptsQuery, returns=ReceiptsOut)
    def receipts_report(self, query):
        return queries.receipts(self.uow(), self.principal, query)

    @rpc
    @api(query=ReceiptRankingQuery, returns=ReceiptRankingOut)
    def receipt_ranking_report(self, query):
        return queries.receipt_ranking(self.uow(), self.principal, query)

    @rpc
    @api(query=exports.export_query(ReceiptsQuery), media_type=exports.MEDIA_TYPES)
    def export_receipts_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "receipts", query)

    @rpc
    @api(query=exports.export_query(ReceiptRankingQuery), media_type=exports.MEDIA_TYPES)
    def export_receipt_ranking_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "receipt_ranking", query)

    @handles("finance.receipt_recorded")
    def on_receipt_recorded_report(self, uow, envelope, data):
        handlers.receipt_recorded(uow, envelope, data)

    @handles("finance.receipt_reversed")
    def on_receipt_reversed_report(self, uow, envelope, data):
        handlers.receipt_reversed(uow, envelope, data)

    @handles("finance.invoice_issued")
    def on_invoice_issued_report(self, uow, envelope, data):
        handlers.invoice_issued(uow, envelope, data)

    @handles("finance.invoice_reversed")
    def on_invoice_reversed_report(self, uow, envelope, data):
        handlers.invoice_reversed(uow, envelope, data)
