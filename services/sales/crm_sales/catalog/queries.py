"""Reads of the catalog: products and price rules (shared by the branch, so no data scope)."""
from sqlalchemy import select

from crm_common.errors import NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_sales.catalog.models import PriceRule, Product
from crm_sales.catalog.schemas import PriceRuleListQuery, PriceRuleOut, ProductListQuery, ProductOut

PRODUCT_SORTS = {"code": Product.code, "name": Product.name, "created_at": Product.created_at}
RULE_SORTS = {"priority": PriceRule.priority, "created_at": PriceRule.created_at}


def find_product(session, product_id, for_update=False) -> Product:
    product = session.get(Product, str(product_id), with_for_update=for_update) if is_uuid(product_id) else None
    if product is None:
        raise NotFound("Product not found")
    return product


def get_product(uow, principal: Principal, product_id) -> dict:
    principal.require("products.read")
    with uow:
        return ProductOut().dump(find_product(uow.session, product_id))


def list_products(uow, principal: Principal, query) -> dict:
    principal.require("products.read")
    q = load_query(ProductListQuery(), query)
    stmt = select(Product)
    if "name" in q:
        stmt = stmt.where(Product.name.contains(q["name"], autoescape=True))
    if "category" in q:
        stmt = stmt.where(Product.category == q["category"])
    if "active" in q:
        stmt = stmt.where(Product.active.is_(q["active"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Product.id, q, PRODUCT_SORTS, "code")
        return {"items": ProductOut(many=True).dump(rows), "next_cursor": cursor}


def find_price_rule(session, rule_id, for_update=False) -> PriceRule:
    rule = session.get(PriceRule, str(rule_id), with_for_update=for_update) if is_uuid(rule_id) else None
    if rule is None:
        raise NotFound("Price rule not found")
    return rule


def get_price_rule(uow, principal: Principal, rule_id) -> dict:
    principal.require("products.read")
    with uow:
        return PriceRuleOut().dump(find_price_rule(uow.session, rule_id))


def list_price_rules(uow, principal: Principal, query) -> dict:
    principal.require("products.read")
    q = load_query(PriceRuleListQuery(), query)
    stmt = select(PriceRule)
    if "kind" in q:
        stmt = stmt.where(PriceRule.kind == q["kind"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, PriceRule.id, q, RULE_SORTS, "priority")
        return {"items": PriceRuleOut(many=True).dump(rows), "next_cursor": cursor}
