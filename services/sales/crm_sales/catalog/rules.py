"""Price and discount rules (SAL-02), free of framework code.

A line starts from the product's list price. Of the volume / customer / partner rules that match
the line, the one with the lowest `priority` number wins (ties: the bigger discount). A rep may
ask for a bigger discount by hand; whether that needs approval depends on the position limit:
the largest `max discount` of the position rules whose permission the rep holds. Nothing fails
because of a discount: beyond the limit the order is flagged and its approval gets a discount step.
"""
from dataclasses import dataclass
from decimal import Decimal

from crm_common.money import ZERO, cents, line_amount

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    kind: str  # volume | customer | partner | position
    priority: int
    discount_percent: Decimal
    product_id: str | None = None
    category: str | None = None
    customer_id: str | None = None
    min_quantity: Decimal | None = None
    permission: str | None = None


@dataclass(frozen=True)
class PricedLine:
    list_price: Decimal
    discount_percent: Decimal
    unit_price: Decimal
    amount: Decimal
    note: str
    beyond_rules: Decimal  # discount asked by hand above what the rules grant


def _applies(rule: Rule, product_id, category, customer_id, customer_kind, quantity) -> bool:
    if rule.product_id and rule.product_id != product_id:
        return False
    if rule.category and rule.category != category:
        return False
    if rule.kind == "volume":
        return rule.min_quantity is not None and quantity >= rule.min_quantity
    if rule.kind == "customer":
        return rule.customer_id == customer_id
    if rule.kind == "partner":
        return customer_kind == "partner"
    return False


def best_rule(rules, product_id, category, customer_id, customer_kind, quantity) -> Rule | None:
    matching = [r for r in rules if r.kind != "position"
                and _applies(r, product_id, category, customer_id, customer_kind, quantity)]
    return min(matching, key=lambda r: (r.priority, -r.discount_percent), default=None)


def position_limit(rules, permissions) -> Decimal:
    """The caller's hand-discount limit: the best position rule among their permissions, else 0."""
    return max((r.discount_percent for r in rules if r.kind == "position" and r.permission in permissions),
               default=Decimal("0"))


def price_line(list_price: Decimal, quantity: Decimal, rule: Rule | None,
               requested_discount: Decimal | None, zero_price: bool = False) -> PricedLine:
    if zero_price:
        return PricedLine(list_price, HUNDRED, ZERO, ZERO, "sample: zero price", Decimal("0"))
    rule_discount = rule.discount_percent if rule else Decimal("0")
    note = f"{rule.kind} rule '{rule.name}': -{rule_discount}%" if rule else "list price"
    discount, beyond = rule_discount, Decimal("0")
    if requested_discount is not None and requested_discount > rule_discount:
        discount, beyond = requested_discount, requested_discount - rule_discount
        note += f"; manual discount {requested_discount}%"
    unit_price = cents(list_price * (HUNDRED - discount) / HUNDRED)
    return PricedLine(list_price, discount, unit_price, line_amount(quantity, unit_price), note, beyond)
