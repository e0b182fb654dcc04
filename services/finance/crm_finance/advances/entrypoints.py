"""Entrypoints of advance receipts: the events that drive them and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_finance.advances import handlers, queries, use_cases
from crm_finance.advances.schemas import AdvanceIn, AdvanceListOut, AdvanceOut


class AdvancesEntrypoints:
    @handles("sales.order_submitted")
    def on_order_submitted(self, uow, envelope, data):
        handlers.order_submitted(uow, data)

    @handles("sales.order_cancelled")
    def on_order_cancelled(self, uow, envelope, data):
        handlers.order_ended(uow, data["order_id"])

    @rpc
    @api(body=AdvanceIn, returns=AdvanceOut)
    def record_advance_receipt(self, order_id, payload):
        return use_cases.record_advance(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(returns=AdvanceListOut)
    def list_advance_receipts(self, order_id):
        return queries.list_for_order(self.uow(), self.principal, order_id)
