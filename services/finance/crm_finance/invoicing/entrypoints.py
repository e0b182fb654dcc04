"""Entrypoints of invoicing: the approved order whose lines are kept, and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_finance.invoicing import handlers, queries, use_cases
from crm_finance.invoicing.schemas import (BuyerTitleIn, BuyerTitleListQuery, BuyerTitleOut, BuyerTitleUpdateIn,
                                           FapiaoIn, InvoiceIn, InvoiceListQuery, InvoiceOut, InvoicingOut,
                                           InvoiceReversalIn)


class InvoicingEntrypoints:
    @handles("sales.order_approved")
    def on_order_approved(self, uow, envelope, data):
        handlers.record_order_lines(uow, data)

    @rpc
    @api(returns=InvoicingOut)
    def get_invoicing(self, receivable_id):
        return queries.invoicing(self.uow(), self.principal, receivable_id)

    @rpc
    @api(body=InvoiceIn, returns=InvoiceOut)
    def create_invoice(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=InvoiceListQuery, returns=InvoiceOut, page=True)
    def list_invoices(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InvoiceOut)
    def get_invoice(self, invoice_id):
        return queries.get(self.uow(), self.principal, invoice_id, self.approves)

    @rpc
    @api(body=NoInput, returns=InvoiceOut)
    def issue_invoice(self, invoice_id, payload=None):
        return use_cases.issue(self.uow(), self.principal, invoice_id, payload)

    @rpc
    @api(body=FapiaoIn, returns=InvoiceOut)
    def record_fapiao(self, invoice_id, payload):
        return use_cases.record_fapiao(self.uow(), self.principal, invoice_id, payload)

    @rpc
    @api(body=InvoiceReversalIn, returns=InvoiceOut)
    def reverse_invoice(self, invoice_id, payload):
        return use_cases.reverse(self.uow(), self.principal, invoice_id, payload)

    @rpc
    @api(query=BuyerTitleListQuery, returns=BuyerTitleOut, page=True)
    def list_buyer_titles(self, query):
        return queries.list_titles(self.uow(), self.principal, query)

    @rpc
    @api(returns=BuyerTitleOut)
    def get_buyer_title(self, title_id):
        return queries.get_title(self.uow(), self.principal, title_id)

    @rpc
    @api(body=BuyerTitleIn, returns=BuyerTitleOut)
    def create_buyer_title(self, payload):
        return use_cases.create_title(self.uow(), self.principal, payload)

    @rpc
    @api(body=BuyerTitleUpdateIn, returns=BuyerTitleOut, partial=True)
    def update_buyer_title(self, title_id, payload):
        return use_cases.update_title(self.uow(), self.principal, title_id, payload)
