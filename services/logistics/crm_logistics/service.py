"""Nameko entrypoints of the logistics service: thin wrappers over the use cases."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.service_base import ServiceBase, rpc
from crm_common.validation import NoInput
from crm_logistics.models import Base
from crm_logistics import carriers, field_service, fulfilments, goods_returns, shipments
from crm_logistics.field_service_schemas import FieldServiceListQuery, FieldServiceOut, RepairCallIn
from crm_logistics.schemas import (CarrierIn, CarrierListQuery, CarrierOut, CarrierPatch, FreightQuery,
                                   FreightReportOut, FulfilmentDetailOut, FulfilmentListQuery, FulfilmentOut,
                                   GoodsReturnListQuery, GoodsReturnOut, ReceiveIn, ShipmentDetailOut,
                                   ShipmentIn, ShipmentListQuery, ShipmentOut)


class LogisticsService(FollowsCustomerMerges, ServiceBase):
    name = "logistics"
    contract_variants = field_service.CONTRACT_VARIANTS
    customer_tables = Base.metadata  # re-pointed when customers are merged
    uow = UnitOfWorkProvider()

    @handles("sales.order_approved")
    def on_order_approved(self, uow, envelope, data):
        fulfilments.open_for_order(uow, data)

    @handles("sales.return_approved")
    def on_return_approved(self, uow, envelope, data):
        goods_returns.open_for_return(uow, data)

    @rpc
    @api(query=FulfilmentListQuery, returns=FulfilmentOut, page=True)
    def list_fulfilments(self, query):
        return fulfilments.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=FulfilmentDetailOut)
    def get_fulfilment(self, fulfilment_id):
        return fulfilments.get(self.uow(), self.principal, fulfilment_id)

    @rpc
    @api(body=ShipmentIn, returns=ShipmentDetailOut)
    def create_shipment(self, payload):
        return shipments.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ShipmentListQuery, returns=ShipmentOut, page=True)
    def list_shipments(self, query):
        return shipments.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=ShipmentDetailOut)
    def get_shipment(self, shipment_id):
        return shipments.get(self.uow(), self.principal, shipment_id)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def ship_shipment(self, shipment_id, payload=None):
        return shipments.transition(self.uow(), self.principal, shipment_id, "ship", payload)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def deliver_shipment(self, shipment_id, payload=None):
        return shipments.transition(self.uow(), self.principal, shipment_id, "deliver", payload)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def cancel_shipment(self, shipment_id, payload=None):
        return shipments.transition(self.uow(), self.principal, shipment_id, "cancel", payload)

    @rpc
    @api(query=FreightQuery, returns=FreightReportOut)
    def freight_report(self, query):
        return carriers.freight_report(self.uow(), self.principal, query)

    @rpc
    @api(body=CarrierIn, returns=CarrierOut)
    def create_carrier(self, payload):
        return carriers.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=CarrierPatch, returns=CarrierOut)
    def update_carrier(self, carrier_id, payload):
        return carriers.update(self.uow(), self.principal, carrier_id, payload)

    @rpc
    @api(query=CarrierListQuery, returns=CarrierOut, page=True)
    def list_carriers(self, query):
        return carriers.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=CarrierOut)
    def get_carrier(self, carrier_id):
        return carriers.get(self.uow(), self.principal, carrier_id)

    @rpc
    @api(query=GoodsReturnListQuery, returns=GoodsReturnOut, page=True)
    def list_goods_returns(self, query):
        return goods_returns.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=GoodsReturnOut)
    def get_goods_return(self, goods_return_id):
        return goods_returns.get(self.uow(), self.principal, goods_return_id)

    @rpc
    @api(body=ReceiveIn, returns=GoodsReturnOut)
    def receive_goods_return(self, goods_return_id, payload):
        return goods_returns.receive(self.uow(), self.principal, goods_return_id, payload)

    @rpc
    @api(body=RepairCallIn, returns=FieldServiceOut)
    def create_field_service_order(self, payload):
        return field_service.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=FieldServiceListQuery, returns=FieldServiceOut, page=True)
    def list_field_service_orders(self, query):
        return field_service.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=FieldServiceOut)
    def get_field_service_order(self, order_id):
        return field_service.get(self.uow(), self.principal, order_id)

    @rpc
    def field_service_step(self, order_id, action, payload=None):
        return field_service.step(self.uow(), self.principal, order_id, action, payload)
