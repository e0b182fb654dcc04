"""Use cases of the catalog (SAL-01, SAL-02): products, price and discount rules, and the pricing
of order and quote lines from them."""
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.validation import load_body
from crm_sales.catalog import queries, rules
from crm_sales.catalog.models import PriceRule, Product
from crm_sales.catalog.schemas import PriceRuleIn, PriceRuleOut, ProductIn, ProductOut

RULE_FIELDS = ("id", "name", "kind", "priority", "discount_percent", "product_id", "category", "customer_id",
               "min_quantity", "permission")


def create_product(uow, principal: Principal, payload) -> dict:
    principal.require("products.write")
    data = load_body(ProductIn(), payload)
    try:
        with uow:
            product = Product(id=new_id(), **data)
            uow.session.add(product)
            uow.session.flush()
            return ProductOut().dump(product)
    except IntegrityError:
        raise Conflict("A product with this code already exists", {"code": ["Already used."]}) from None


def update_product(uow, principal: Principal, product_id, payload) -> dict:
    principal.require("products.write")
    data = load_body(ProductIn(), payload, partial=True)
    try:
        with uow:
            product = queries.find_product(uow.session, product_id, for_update=True)
            for key, value in data.items():
                setattr(product, key, value)
            uow.session.flush()
            return ProductOut().dump(product)
    except IntegrityError:
        raise Conflict("A product with this code already exists", {"code": ["Already used."]}) from None


def _stored(data: dict) -> dict:
    return {k: (str(v) if k in ("product_id", "customer_id") and v is not None else v) for k, v in data.items()}


def create_price_rule(uow, principal: Principal, payload) -> dict:
    principal.require("products.write")
    data = load_body(PriceRuleIn(), payload)
    with uow:
        rule = PriceRule(id=new_id(), **_stored(data))
        uow.session.add(rule)
        uow.session.flush()
        return PriceRuleOut().dump(rule)


def update_price_rule(uow, principal: Principal, rule_id, payload) -> dict:
    principal.require("products.write")
    data = load_body(PriceRuleIn(), payload, partial=True)
    with uow:
        rule = queries.find_price_rule(uow.session, rule_id, for_update=True)
        for key, value in _stored(data).items():
            setattr(rule, key, value)
        uow.session.flush()
        return PriceRuleOut().dump(rule)


def price_lines(session, principal: Principal, lines_in, customer: dict, line_cls, zero_price=False):
    """Server-side pricing of every line; returns (lines, max discount, beyond position limit?).

    `line_cls` is the line model to build (order lines, quote lines: same pricing columns)."""
    ids = [str(line["product_id"]) for line in lines_in]
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(ids))).scalars()}
    price_rules = [rules.Rule(**{f: getattr(r, f) for f in RULE_FIELDS}) for r in session.execute(
        select(PriceRule).where(PriceRule.active.is_(True))).scalars()]
    limit = rules.position_limit(price_rules, principal.permissions)
    errors, lines, over_limit = {}, [], False
    for index, line in enumerate(lines_in):
        product = products.get(str(line["product_id"]))
        if product is None or not product.active:
            errors[str(index)] = {"product_id": ["Unknown or inactive product."]}
            continue
        rule = rules.best_rule(price_rules, product.id, product.category, customer["id"], customer.get("kind"),
                               line["quantity"])
        priced = rules.price_line(product.list_price, line["quantity"], rule, line.get("discount_percent"),
                                  zero_price)
        over_limit = over_limit or priced.beyond_rules > limit
        lines.append(line_cls(
            id=new_id(), line_no=index + 1, product_id=product.id, product_code=product.code,
            product_name=product.name, unit=product.unit, quantity=line["quantity"], list_price=priced.list_price,
            discount_percent=priced.discount_percent, unit_price=priced.unit_price, amount=priced.amount,
            pricing_note=priced.note))
    if errors:
        raise InvalidInput("Invalid order lines", {"lines": errors})
    max_discount = max((line.discount_percent for line in lines), default=Decimal("0"))
    return lines, (Decimal("0") if zero_price else max_discount), over_limit
