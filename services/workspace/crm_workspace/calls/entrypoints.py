"""The call log, handling queue and work orders (WSP-03): thin entrypoints over the area's use
cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.calls import queries, use_cases
from crm_workspace.calls.schemas import (CallHandleIn, CallIn, CallOut, CallQuery, CallStatisticsOut, StatsQuery,
                                         WorkOrderAssignIn, WorkOrderCloseIn, WorkOrderIn, WorkOrderOut, WorkOrderQuery)


class CallsEntrypoints:
    @rpc
    @api(body=CallIn, returns=CallOut)
    def create_call(self, payload):
        return use_cases.create_call(self.uow(), self.principal, payload, self.who_is_calling)

    @rpc
    @api(returns=CallOut)
    def get_call(self, call_id):
        return queries.get_call(self.uow(), self.principal, call_id)

    @rpc
    @api(query=CallQuery, returns=CallOut, page=True)
    def list_calls(self, query=None):
        return queries.list_calls(self.uow(), self.principal, query)

    @rpc
    @api(body=CallHandleIn, returns=CallOut)
    def handle_call(self, call_id, payload):
        return use_cases.handle_call(self.uow(), self.principal, call_id, payload)

    @rpc
    @api(body=WorkOrderIn, returns=WorkOrderOut)
    def create_work_order(self, payload):
        return use_cases.create_work_order(self.uow(), self.principal, payload)

    @rpc
    @api(returns=WorkOrderOut)
    def get_work_order(self, order_id):
        return queries.get_work_order(self.uow(), self.principal, order_id)

    @rpc
    @api(query=WorkOrderQuery, returns=WorkOrderOut, page=True)
    def list_work_orders(self, query=None):
        return queries.list_work_orders(self.uow(), self.principal, query)

    @rpc
    @api(body=WorkOrderAssignIn, returns=WorkOrderOut)
    def assign_work_order(self, order_id, payload):
        return use_cases.assign_work_order(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=WorkOrderCloseIn, returns=WorkOrderOut)
    def close_work_order(self, order_id, payload):
        return use_cases.close_work_order(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(query=StatsQuery, returns=CallStatisticsOut)
    def call_statistics(self, query=None):
        return queries.statistics(self.uow(), self.principal, query)
