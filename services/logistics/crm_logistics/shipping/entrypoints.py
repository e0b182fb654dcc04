"""Entrypoints of shipping: the approved order that opens a fulfilment, and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_logistics.shipping import handlers, queries, use_cases
from crm_logistics.shipping.schemas import (FreightQuery, FreightReportOut, FulfilmentDetailOut, FulfilmentListQuery,
                                            FulfilmentOut, ShipmentDetailOut, ShipmentIn, ShipmentListQuery,
                                            ShipmentOut)


class ShippingEntrypoints:
    @handles("sales.order_approved")
    def on_order_approved(self, uow, envelope, data):
        handlers.open_for_order(uow, data)

    @handles("sales.order_completed")
    def on_order_completed(self, uow, envelope, data):
        handlers.close_for_order(uow, _ended(envelope, data))

    @handles("sales.order_closed")
    def on_order_closed(self, uow, envelope, data):
        handlers.close_for_order(uow, _ended(envelope, data))

    @rpc
    @api(query=FulfilmentListQuery, returns=FulfilmentOut, page=True)
    def list_fulfilments(self, query):
        return queries.list_fulfilments(self.uow(), self.principal, query)

    @rpc
    @api(returns=FulfilmentDetailOut)
    def get_fulfilment(self, fulfilment_id):
        return queries.get_fulfilment(self.uow(), self.principal, fulfilment_id)

    @rpc
    @api(body=ShipmentIn, returns=ShipmentDetailOut)
    def create_shipment(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ShipmentListQuery, returns=ShipmentOut, page=True)
    def list_shipments(self, query):
        return queries.list_shipments(self.uow(), self.principal, query)

    @rpc
    @api(returns=ShipmentDetailOut)
    def get_shipment(self, shipment_id):
        return queries.get_shipment(self.uow(), self.principal, shipment_id)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def ship_shipment(self, shipment_id, payload=None):
        return use_cases.transition(self.uow(), self.principal, shipment_id, "ship", payload)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def deliver_shipment(self, shipment_id, payload=None):
        return use_cases.transition(self.uow(), self.principal, shipment_id, "deliver", payload)

    @rpc
    @api(body=NoInput, returns=ShipmentDetailOut)
    def cancel_shipment(self, shipment_id, payload=None):
        return use_cases.transition(self.uow(), self.principal, shipment_id, "cancel", payload)

    @rpc
    @api(query=FreightQuery, returns=FreightReportOut)
    def freight_report(self, query):
        return queries.freight_report(self.uow(), self.principal, query)


def _ended(envelope, data) -> dict:
    """v1 carried no reason (an order ended before the rule existed): the event's name stands in."""
    return {"reason": envelope["name"], **data}
