"""Products and pricing (SAL-01, SAL-02).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_sales import price_rules, products
from crm_sales.schemas import PriceRuleIn, PriceRuleListQuery, PriceRuleOut, ProductIn, ProductListQuery, ProductOut


class CatalogEntrypoints:
    # products and pricing (SAL-01, SAL-02)
    @rpc
    @api(body=ProductIn, returns=ProductOut)
    def create_product(self, payload):
        return products.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ProductIn, partial=True, returns=ProductOut)
    def update_product(self, product_id, payload):
        return products.update(self.uow(), self.principal, product_id, payload)

    @rpc
    @api(returns=ProductOut)
    def get_product(self, product_id):
        return products.get(self.uow(), self.principal, product_id)

    @rpc
    @api(query=ProductListQuery, returns=ProductOut, page=True)
    def list_products(self, query):
        return products.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=PriceRuleIn, returns=PriceRuleOut)
    def create_price_rule(self, payload):
        return price_rules.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=PriceRuleIn, partial=True, returns=PriceRuleOut)
    def update_price_rule(self, rule_id, payload):
        return price_rules.update(self.uow(), self.principal, rule_id, payload)

    @rpc
    @api(returns=PriceRuleOut)
    def get_price_rule(self, rule_id):
        return price_rules.get(self.uow(), self.principal, rule_id)

    @rpc
    @api(query=PriceRuleListQuery, returns=PriceRuleOut, page=True)
    def list_price_rules(self, query):
        return price_rules.list_(self.uow(), self.principal, query)
