"""Quotes (SAL-05).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_sales.orders.schemas import OrderDetailOut
from crm_sales.quotes import queries, use_cases
from crm_sales.quotes.schemas import CancelIn, ConvertIn, QuoteIn, QuoteListQuery, QuoteOut


class QuotesEntrypoints:
    @rpc
    @api(body=QuoteIn, returns=QuoteOut)
    def create_quote(self, payload):
        return use_cases.create(self.uow(), self.principal, payload, self.lookup_customer)

    @rpc
    @api(body=QuoteIn, partial=True, returns=QuoteOut)
    def update_quote(self, quote_id, payload):
        return use_cases.update(self.uow(), self.principal, quote_id, payload, self.lookup_customer)

    @rpc
    @api(returns=QuoteOut)
    def get_quote(self, quote_id):
        return queries.get(self.uow(), self.principal, quote_id)

    @rpc
    @api(query=QuoteListQuery, returns=QuoteOut, page=True)
    def list_quotes(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ConvertIn, returns=OrderDetailOut)
    def convert_quote(self, quote_id, payload=None):
        return use_cases.convert(self.uow(), self.principal, quote_id, payload)

    @rpc
    @api(body=CancelIn, returns=QuoteOut)
    def cancel_quote(self, quote_id, payload):
        return use_cases.cancel(self.uow(), self.principal, quote_id, payload)
