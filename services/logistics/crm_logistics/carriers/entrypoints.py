"""Entrypoints of carriers."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_logistics.carriers import queries, use_cases
from crm_logistics.carriers.schemas import CarrierIn, CarrierListQuery, CarrierOut, CarrierPatch


class CarriersEntrypoints:
    @rpc
    @api(body=CarrierIn, returns=CarrierOut)
    def create_carrier(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=CarrierPatch, returns=CarrierOut)
    def update_carrier(self, carrier_id, payload):
        return use_cases.update(self.uow(), self.principal, carrier_id, payload)

    @rpc
    @api(query=CarrierListQuery, returns=CarrierOut, page=True)
    def list_carriers(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=CarrierOut)
    def get_carrier(self, carrier_id):
        return queries.get(self.uow(), self.principal, carrier_id)
