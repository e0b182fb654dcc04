"""Entrypoints of receivables: the event that opens one, plans and receipts people record."""
from crm_common import exports
from crm_common.api_contract import api
from crm_common.counting import CountsQuery
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_finance.receivables import handlers, queries, use_cases
from crm_finance.receivables.schemas import (PlanIn, PlanOut, ReceiptIn, ReceiptListQuery, ReceiptOut,
                                             ReceivableDetailOut, ReceivableExportQuery, ReceivableListQuery, ReceivableOut,
                                             ReceivableTabCountsOut, ReversalIn)


class ReceivablesEntrypoints:
    @handles("logistics.shipment_allowed")
    def on_shipment_allowed(self, uow, envelope, data):
        handlers.open_for_shipment(uow, data)

    @handles("logistics.fulfilment_closed")
    def on_fulfilment_closed(self, uow, envelope, data):
        handlers.reduce_for_closing(uow, data)

    @rpc
    @api(query=ReceivableListQuery, returns=ReceivableOut, page=True)
    def list_receivables(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=CountsQuery, returns=ReceivableTabCountsOut)
    def customer_tab_counts(self, customer_id, query):
        return queries.tab_counts(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(query=ReceivableExportQuery, media_type=exports.MEDIA_TYPES)  # the gateway writes the pages into the file
    def export_receivables(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, query, cursor)

    @rpc
    @api(returns=ReceivableDetailOut)
    def get_receivable(self, receivable_id):
        return queries.get(self.uow(), self.principal, receivable_id)

    @rpc
    @api(body=PlanIn, returns=PlanOut)
    def set_payment_plan(self, receivable_id, payload):
        return use_cases.set_plan(self.uow(), self.principal, receivable_id, payload)

    @rpc
    @api(returns=PlanOut)
    def get_payment_plan(self, receivable_id):
        return queries.get_plan(self.uow(), self.principal, receivable_id)

    @rpc
    @api(body=ReceiptIn, returns=ReceiptOut)
    def create_receipt(self, payload):
        return use_cases.create_receipt(self.uow(), self.principal, payload)

    @rpc
    @api(body=ReversalIn, returns=ReceiptOut)
    def reverse_receipt(self, receipt_id, payload):
        return use_cases.reverse_receipt(self.uow(), self.principal, receipt_id, payload)

    @rpc
    @api(query=ReceiptListQuery, returns=ReceiptOut, page=True)
    def list_receipts(self, query):
        return queries.list_receipts(self.uow(), self.principal, query)

    @rpc
    @api(returns=ReceiptOut)
    def get_receipt(self, receipt_id):
        return queries.get_receipt(self.uow(), self.principal, receipt_id, self.approves)
