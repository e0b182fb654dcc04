"""Nameko entrypoints of the finance service: thin wrappers over the use cases."""
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase, rpc
from crm_finance import receipts, receivables


class FinanceService(ServiceBase):
    name = "finance"
    uow = UnitOfWorkProvider()

    @handles("logistics.shipment_allowed")
    def on_shipment_allowed(self, uow, envelope, data):
        receivables.open_for_shipment(uow, data)

    @rpc
    def list_receivables(self, query):
        return receivables.list_(self.uow(), self.principal, query)

    @rpc
    def get_receivable(self, receivable_id):
        return receivables.get(self.uow(), self.principal, receivable_id)

    @rpc
    def create_receipt(self, payload):
        return receipts.create(self.uow(), self.principal, payload)

    @rpc
    def list_receipts(self, query):
        return receipts.list_(self.uow(), self.principal, query)

    @rpc
    def get_receipt(self, receipt_id):
        return receipts.get(self.uow(), self.principal, receipt_id)
