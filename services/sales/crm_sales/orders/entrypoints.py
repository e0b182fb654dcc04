"""Orders and samples (SAL-06, SAL-12 samples are orders of type "sample").

Mixed into SalesService (service.py); thin wrappers over the use cases and event handlers.
"""
from crm_common import exports
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_sales.approvals.schemas import DecisionIn, InstanceOut, RejectionIn, SubmitIn
from crm_sales.orders import handlers, queries, use_cases
from crm_sales.orders.schemas import (EndIn, OrderDetailOut, OrderExportQuery, OrderIn, OrderListQuery, OrderOut,
                                      SampleReportOut, SampleReportQuery)


class OrdersEntrypoints:
    @rpc
    @api(body=OrderIn, returns=OrderDetailOut)
    def create_order(self, payload):
        return use_cases.create(self.uow(), self.principal, payload, self.lookup_customer)

    @rpc
    @api(body=OrderIn, partial=True, returns=OrderDetailOut)
    def update_order(self, order_id, payload):
        return use_cases.update(self.uow(), self.principal, order_id, payload, self.lookup_customer)

    @rpc
    @api(returns=OrderDetailOut)
    def get_order(self, order_id):
        return queries.get(self.uow(), self.principal, order_id)

    @rpc
    @api(query=OrderListQuery, returns=OrderOut, page=True)
    def list_orders(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=OrderExportQuery, media_type=exports.MEDIA_TYPES)  # the gateway writes the pages into the file
    def export_orders(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, query, cursor)

    @rpc
    @api(query=SampleReportQuery, returns=SampleReportOut)
    def sample_report(self, query):
        return queries.sample_report(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def order_approvals(self, order_id):
        return queries.approval_history(self.uow(), self.principal, order_id)

    @rpc
    @api(body=SubmitIn, returns=OrderDetailOut)
    def submit_order(self, order_id, payload=None):
        return use_cases.submit(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def withdraw_order(self, order_id, payload=None):
        return use_cases.withdraw(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=DecisionIn, returns=OrderDetailOut)
    def approve_order(self, order_id, payload=None):
        return use_cases.approve(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=RejectionIn, returns=OrderDetailOut)
    def reject_order(self, order_id, payload):
        return use_cases.reject(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def cancel_order(self, order_id, payload=None):
        return use_cases.cancel(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=EndIn, returns=OrderDetailOut)
    def complete_order(self, order_id, payload=None):
        return use_cases.complete(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=EndIn, returns=OrderDetailOut)
    def close_order(self, order_id, payload=None):
        return use_cases.close(self.uow(), self.principal, order_id, payload)

    @handles("logistics.shipment_recorded")
    def on_shipment_recorded(self, uow, envelope, data):
        handlers.record_shipment(uow, data)

    @handles("finance.invoice_issued")
    def on_invoice_issued(self, uow, envelope, data):
        handlers.record_invoice(uow, data)

    @handles("finance.invoice_reversed")
    def on_invoice_reversed(self, uow, envelope, data):
        handlers.record_invoice_reversed(uow, data)

    @handles("finance.receipt_recorded")
    def on_receipt_recorded(self, uow, envelope, data):
        handlers.record_receipt(uow, data)

    @handles("logistics.shipment_cancelled")
    def on_shipment_cancelled(self, uow, envelope, data):
        handlers.record_shipment(uow, data, sign=-1)

    @handles("finance.receipt_reversed")
    def on_receipt_reversed(self, uow, envelope, data):
        handlers.record_receipt_reversed(uow, data)
