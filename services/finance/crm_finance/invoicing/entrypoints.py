"""Entrypoints of invoicing: the approved order whose lines are kept, and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_finance.invoicing import handlers, queries, use_cases
from crm_finance.invoicing.schemas import InvoiceIn, InvoiceListQuery, InvoiceOut, InvoicingOut


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
        return queries.get(self.uow(), self.principal, invoice_id)
