"""Entrypoints of returned goods: the event that opens them and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_logistics.returns import handlers, queries, use_cases
from crm_logistics.returns.schemas import GoodsReturnListQuery, GoodsReturnOut, ReceiveIn


class ReturnsEntrypoints:
    @handles("sales.return_approved")
    def on_return_approved(self, uow, envelope, data):
        handlers.open_for_return(uow, data)

    @rpc
    @api(query=GoodsReturnListQuery, returns=GoodsReturnOut, page=True)
    def list_goods_returns(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=GoodsReturnOut)
    def get_goods_return(self, goods_return_id):
        return queries.get(self.uow(), self.principal, goods_return_id)

    @rpc
    @api(body=ReceiveIn, returns=GoodsReturnOut)
    def receive_goods_return(self, goods_return_id, payload):
        return use_cases.receive(self.uow(), self.principal, goods_return_id, payload)
