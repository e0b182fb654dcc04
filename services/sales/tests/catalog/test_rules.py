"""Line pricing (SAL-02): which rule wins, manual discounts and the position limit, rounding."""
from decimal import Decimal as D

from crm_sales.catalog.rules import Rule, best_rule, position_limit, price_line

VOLUME = Rule("1", "100+ pcs", "volume", 50, D("8"), min_quantity=D("100"))
CUSTOMER = Rule("2", "Tianma contract", "customer", 10, D("5"), customer_id="c1")
PARTNER = Rule("3", "Partners", "partner", 20, D("12"))
OTHER_PRODUCT = Rule("4", "other", "volume", 1, D("50"), product_id="p2", min_quantity=D("1"))
REP = Rule("5", "rep", "position", 0, D("5"), permission="orders.write")
MANAGER = Rule("6", "manager", "position", 0, D("15"), permission="orders.approve")
RULES = [VOLUME, CUSTOMER, PARTNER, OTHER_PRODUCT, REP, MANAGER]


def test_the_lowest_priority_number_among_matching_rules_wins():
    assert best_rule(RULES, "p1", None, "c9", "company", D("1")) is None
    assert best_rule(RULES, "p1", None, "c9", "company", D("100")) is VOLUME
    assert best_rule(RULES, "p1", None, "c1", "company", D("100")) is CUSTOMER
    assert best_rule(RULES, "p1", None, "c9", "partner", D("100")) is PARTNER
    assert best_rule(RULES, "p2", None, "c9", "company", D("1")) is OTHER_PRODUCT


def test_position_limit_is_the_best_rule_among_the_callers_permissions():
    assert position_limit(RULES, {"orders.write"}) == D("5")
    assert position_limit(RULES, {"orders.write", "orders.approve"}) == D("15")
    assert position_limit(RULES, set()) == D("0")


def test_a_line_explains_its_price_and_rounds_half_up_to_the_cent():
    line = price_line(D("19.99"), D("100"), VOLUME, None)
    assert line.unit_price == D("18.39") and line.amount == D("1839.00")  # 19.99 * 0.92 = 18.3908
    assert "volume rule '100+ pcs'" in line.note and line.beyond_rules == 0
    plain = price_line(D("0.05"), D("3"), None, None)
    assert plain.note == "list price" and plain.amount == D("0.15")


def test_a_manual_discount_counts_only_beyond_the_rule():
    line = price_line(D("100.00"), D("1"), VOLUME, D("20"))
    assert line.discount_percent == D("20") and line.unit_price == D("80.00") and line.beyond_rules == D("12")
    smaller = price_line(D("100.00"), D("1"), VOLUME, D("3"))
    assert smaller.discount_percent == D("8") and smaller.beyond_rules == 0


def test_samples_are_zero_priced():
    line = price_line(D("100.00"), D("5"), VOLUME, D("20"), zero_price=True)
    assert line.amount == D("0.00") and line.unit_price == D("0.00")
