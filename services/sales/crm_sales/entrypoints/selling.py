"""Quotes, orders with their per-line progress, returns (SAL-05, SAL-06, SAL-09, SAL-12).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_sales import orders, quotes, returns, samples
from crm_sales.approvals.schemas import DecisionIn, InstanceOut, RejectionIn
from crm_sales.quote_schemas import ConvertIn, QuoteIn, QuoteListQuery, QuoteOut
from crm_sales.return_schemas import ReturnIn, ReturnListQuery, ReturnOut
from crm_sales.samples import SampleReportQuery
from crm_sales.schemas import OrderDetailOut, OrderIn, OrderListQuery, OrderOut, SampleReportOut


class SellingEntrypoints:
    # quotes (SAL-05)
    @rpc
    @api(body=QuoteIn, returns=QuoteOut)
    def create_quote(self, payload):
        return quotes.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    @api(body=QuoteIn, returns=QuoteOut)
    def update_quote(self, quote_id, payload):
        return quotes.update(self.uow(), self.principal, quote_id, payload, self._customer_lookup)

    @rpc
    @api(returns=QuoteOut)
    def get_quote(self, quote_id):
        return quotes.get(self.uow(), self.principal, quote_id)

    @rpc
    @api(query=QuoteListQuery, returns=QuoteOut, page=True)
    def list_quotes(self, query):
        return quotes.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ConvertIn, returns=OrderDetailOut)
    def convert_quote(self, quote_id, payload=None):
        return quotes.convert(self.uow(), self.principal, quote_id, payload)

    # orders (SAL-06, SAL-12 samples are orders of type "sample")
    @rpc
    @api(body=OrderIn, returns=OrderDetailOut)
    def create_order(self, payload):
        return orders.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    @api(body=OrderIn, returns=OrderDetailOut)
    def update_order(self, order_id, payload):
        return orders.update(self.uow(), self.principal, order_id, payload, self._customer_lookup)

    @rpc
    @api(returns=OrderDetailOut)
    def get_order(self, order_id):
        return orders.get(self.uow(), self.principal, order_id)

    @rpc
    @api(query=OrderListQuery, returns=OrderOut, page=True)
    def list_orders(self, query):
        return orders.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=SampleReportQuery, returns=SampleReportOut)
    def sample_report(self, query):
        return samples.report(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def order_approvals(self, order_id):
        return orders.approval_history(self.uow(), self.principal, order_id)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def submit_order(self, order_id, payload=None):
        return orders.submit(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=DecisionIn, returns=OrderDetailOut)
    def approve_order(self, order_id, payload=None):
        return orders.approve(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=RejectionIn, returns=OrderDetailOut)
    def reject_order(self, order_id, payload):
        return orders.reject(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def cancel_order(self, order_id, payload=None):
        return orders.cancel(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def complete_order(self, order_id, payload=None):
        return orders.complete(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def close_order(self, order_id, payload=None):
        return orders.close(self.uow(), self.principal, order_id, payload)

    @handles("logistics.shipment_recorded")
    def on_shipment_recorded(self, uow, envelope, data):
        orders.record_shipment(uow, data)

    @handles("finance.invoice_issued")
    def on_invoice_issued(self, uow, envelope, data):
        orders.record_invoice(uow, data)

    @handles("finance.receipt_recorded")
    def on_receipt_recorded(self, uow, envelope, data):
        orders.record_receipt(uow, data)

    @handles("logistics.shipment_cancelled")
    def on_shipment_cancelled(self, uow, envelope, data):
        orders.record_shipment(uow, data, sign=-1)

    @handles("finance.receipt_reversed")
    def on_receipt_reversed(self, uow, envelope, data):
        orders.record_receipt_reversed(uow, data)

    # returns (SAL-09)
    @rpc
    @api(body=ReturnIn, returns=ReturnOut)
    def create_return(self, payload):
        return returns.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=ReturnOut)
    def get_return(self, return_id):
        return returns.get(self.uow(), self.principal, return_id)

    @rpc
    @api(query=ReturnListQuery, returns=ReturnOut, page=True)
    def list_returns(self, query):
        return returns.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def return_approvals(self, return_id):
        return returns.approval_history(self.uow(), self.principal, return_id)

    @rpc
    @api(body=DecisionIn, returns=ReturnOut)
    def approve_return(self, return_id, payload=None):
        return returns.approve(self.uow(), self.principal, return_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ReturnOut)
    def reject_return(self, return_id, payload):
        return returns.reject(self.uow(), self.principal, return_id, payload)
