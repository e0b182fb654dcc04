"""Nameko entrypoints of the logistics service: thin wrappers over the use cases."""
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase, rpc
from crm_logistics import fulfilments, shipments


class LogisticsService(ServiceBase):
    name = "logistics"
    uow = UnitOfWorkProvider()

    @handles("sales.order_approved")
    def on_order_approved(self, uow, envelope, data):
        fulfilments.open_for_order(uow, data)

    @rpc
    def list_fulfilments(self, query):
        return fulfilments.list_(self.uow(), self.principal, query)

    @rpc
    def get_fulfilment(self, fulfilment_id):
        return fulfilments.get(self.uow(), self.principal, fulfilment_id)

    @rpc
    def create_shipment(self, payload):
        return shipments.create(self.uow(), self.principal, payload)

    @rpc
    def list_shipments(self, query):
        return shipments.list_(self.uow(), self.principal, query)

    @rpc
    def get_shipment(self, shipment_id):
        return shipments.get(self.uow(), self.principal, shipment_id)
