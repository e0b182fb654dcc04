from decimal import Decimal

from crm_logistics.carriers import rules


def test_rate_prices_are_stored_as_decimal_strings():
    data = rules.rates_as_stored({"rates": [{"route": "上海-杭州", "unit": "kg", "price": Decimal("1.20")}]})
    assert data["rates"] == [{"route": "上海-杭州", "unit": "kg", "price": "1.20"}]


def test_a_patch_without_rates_keeps_them_out():
    assert rules.rates_as_stored({"name": "顺丰"}) == {"name": "顺丰"}
