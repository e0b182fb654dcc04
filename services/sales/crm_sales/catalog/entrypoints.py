"""Products and pricing (SAL-01, SAL-02).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_sales.catalog import queries, use_cases
from crm_sales.catalog.schemas import (PriceRuleIn, PriceRuleListQuery, PriceRuleOut, ProductIn, ProductListQuery,
                                       ProductOut)


class CatalogEntrypoints:
    # products and pricing (SAL-01, SAL-02)
    @rpc
    @api(body=ProductIn, returns=ProductOut)
    def create_product(self, payload):
        return use_cases.create_product(self.uow(), self.principal, payload)

    @rpc
    @api(body=ProductIn, partial=True, returns=ProductOut)
    def update_product(self, product_id, payload):
        return use_cases.update_product(self.uow(), self.principal, product_id, payload)

    @rpc
    @api(returns=ProductOut)
    def get_product(self, product_id):
        return queries.get_product(self.uow(), self.principal, product_id)

    @rpc
    @api(query=ProductListQuery, returns=ProductOut, page=True)
    def list_products(self, query):
        return queries.list_products(self.uow(), self.principal, query)

    @rpc
    @api(body=PriceRuleIn, returns=PriceRuleOut)
    def create_price_rule(self, payload):
        return use_cases.create_price_rule(self.uow(), self.principal, payload)

    @rpc
    @api(body=PriceRuleIn, partial=True, returns=PriceRuleOut)
    def update_price_rule(self, rule_id, payload):
        return use_cases.update_price_rule(self.uow(), self.principal, rule_id, payload)

    @rpc
    @api(returns=PriceRuleOut)
    def get_price_rule(self, rule_id):
        return queries.get_price_rule(self.uow(), self.principal, rule_id)

    @rpc
    @api(query=PriceRuleListQuery, returns=PriceRuleOut, page=True)
    def list_price_rules(self, query):
        return queries.list_price_rules(self.uow(), self.principal, query)
