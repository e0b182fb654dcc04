"""Use cases for price and discount rules (SAL-02) and the pricing of order lines."""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_body, load_query
from crm_sales import pricing_rules
from crm_sales.models import OrderLine, PriceRule, Product
from crm_sales.schemas import PriceRuleIn, PriceRuleListQuery, PriceRuleOut

SORTS = {"priority": PriceRule.priority, "created_at": PriceRule.created_at}
RULE_FIELDS = ("id", "name", "kind", "priority", "discount_percent", "product_id", "category", "customer_id",
               "min_quantity", "permission")


def _find(session, rule_id, for_update=False) -> PriceRule:
    rule = session.get(PriceRule, str(rule_id), with_for_update=for_update) if is_uuid(rule_id) else None
    if rule is None:
        raise NotFound("Price rule not found")
    return rule


def _stored(data: dict) -> dict:
    return {k: (str(v) if k in ("product_id", "customer_id") and v is not None else v) for k, v in data.items()}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("products.write")
    data = load_body(PriceRuleIn(), payload)
    with uow:
        rule = PriceRule(id=new_id(), **_stored(data))
        uow.session.add(rule)
        uow.session.flush()
        return PriceRuleOut().dump(rule)


def update(uow, principal: Principal, rule_id, payload) -> dict:
    principal.require("products.write")
    data = load_body(PriceRuleIn(), payload, partial=True)
    with uow:
        rule = _find(uow.session, rule_id, for_update=True)
        for key, value in _stored(data).items():
            setattr(rule, key, value)
        uow.session.flush()
        return PriceRuleOut().dump(rule)


def get(uow, principal: Principal, rule_id) -> dict:
    principal.require("products.read")
    with uow:
        return PriceRuleOut().dump(_find(uow.session, rule_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("products.read")
    q = load_query(PriceRuleListQuery(), query)
    stmt = select(PriceRule)
    if "kind" in q:
        stmt = stmt.where(PriceRule.kind == q["kind"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, PriceRule.id, q, SORTS, "priority")
        return {"items": PriceRuleOut(many=True).dump(rows), "next_cursor": cursor}


def price_lines(session, principal: Principal, lines_in, customer: dict, zero_price=False, line_cls=OrderLine):
    """Server-side pricing of every line; returns (lines, max discount, beyond position limit?).

    `line_cls` is the line model to build (order lines, quote lines: same pricing columns)."""
    ids = [str(line["product_id"]) for line in lines_in]
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(ids))).scalars()}
    rules = [pricing_rules.Rule(**{f: getattr(r, f) for f in RULE_FIELDS}) for r in session.execute(
        select(PriceRule).where(PriceRule.active.is_(True))).scalars()]
    limit = pricing_rules.position_limit(rules, principal.permissions)
    errors, lines, over_limit = {}, [], False
    for index, line in enumerate(lines_in):
        product = products.get(str(line["product_id"]))
        if product is None or not product.active:
            errors[str(index)] = {"product_id": ["Unknown or inactive product."]}
            continue
        rule = pricing_rules.best_rule(rules, product.id, product.category, customer["id"], customer.get("kind"),
                                       line["quantity"])
        priced = pricing_rules.price_line(product.list_price, line["quantity"], rule, line.get("discount_percent"),
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
