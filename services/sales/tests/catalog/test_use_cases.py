"""The catalog through its use cases on the sales database alone: products, price rules, line pricing."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_sales.catalog import queries, use_cases
from crm_sales.orders.models import OrderLine


def test_a_product_is_listed_and_found_by_id(uow, rep, product):
    assert queries.get_product(uow(), rep, product["id"])["list_price"] == "1999.50"
    assert [p["code"] for p in queries.list_products(uow(), rep, {})["items"]] == ["P-1"]


def test_products_are_filtered_by_name_category_and_activity(uow, rep):
    use_cases.create_product(uow(), rep, {"code": "A", "name": "激光打印机", "category": "printers",
                                          "list_price": "1.00"})
    use_cases.create_product(uow(), rep, {"code": "B", "name": "墨盒", "category": "ink", "list_price": "2.00",
                                          "active": False})
    assert [p["code"] for p in queries.list_products(uow(), rep, {"name": "打印"})["items"]] == ["A"]
    assert [p["code"] for p in queries.list_products(uow(), rep, {"category": "ink"})["items"]] == ["B"]
    assert [p["code"] for p in queries.list_products(uow(), rep, {"active": "false"})["items"]] == ["B"]


def test_a_second_product_with_the_same_code_is_a_conflict(uow, rep, product):
    with pytest.raises(Conflict) as refused:
        use_cases.create_product(uow(), rep, {"code": "P-1", "name": "again", "list_price": "1.00"})
    assert refused.value.errors == {"code": ["Already used."]}
    assert len(queries.list_products(uow(), rep, {})["items"]) == 1


@pytest.mark.parametrize("payload", [
    {"code": "X", "name": "x", "list_price": "-1.00"},
    {"code": "X", "name": "x", "list_price": "1.001"},
    {"code": "X", "name": "x", "list_price": "1.00", "id": str(uuid.uuid4())},
    {"name": "no code", "list_price": "1.00"},
])
def test_a_bad_product_is_invalid_input_and_nothing_is_written(uow, rep, payload):
    with pytest.raises(InvalidInput):
        use_cases.create_product(uow(), rep, payload)
    assert queries.list_products(uow(), rep, {})["items"] == []


def test_a_product_is_updated_in_part(uow, rep, product):
    updated = use_cases.update_product(uow(), rep, product["id"], {"list_price": "10.00"})
    assert (updated["list_price"], updated["name"]) == ("10.00", "打印机")


@pytest.mark.parametrize("product_id", [str(uuid.uuid4()), "not-a-uuid"], ids=["unknown-uuid", "not-a-uuid"])
def test_an_unknown_product_is_not_found(uow, rep, product_id):
    with pytest.raises(NotFound):
        queries.get_product(uow(), rep, product_id)
    with pytest.raises(NotFound):
        use_cases.update_product(uow(), rep, product_id, {"name": "x"})


def test_writing_the_catalog_needs_its_permission(uow, principal_factory):
    reader = principal_factory(permissions={"products.read"})
    with pytest.raises(Forbidden):
        use_cases.create_product(uow(), reader, {"code": "X", "name": "x", "list_price": "1.00"})
    with pytest.raises(Forbidden):
        use_cases.create_price_rule(uow(), reader, {"name": "r", "kind": "partner", "discount_percent": "5"})


def test_price_rules_are_kept_listed_by_priority_and_updated(uow, rep):
    use_cases.create_price_rule(uow(), rep, {"name": "late", "kind": "partner", "discount_percent": "5",
                                             "priority": 50})
    early = use_cases.create_price_rule(uow(), rep, {"name": "early", "kind": "volume", "discount_percent": "8",
                                                     "min_quantity": "100", "priority": 10})
    assert [r["name"] for r in queries.list_price_rules(uow(), rep, {})["items"]] == ["early", "late"]
    assert [r["name"] for r in queries.list_price_rules(uow(), rep, {"kind": "partner"})["items"]] == ["late"]
    assert use_cases.update_price_rule(uow(), rep, early["id"], {"active": False})["active"] is False
    assert queries.get_price_rule(uow(), rep, early["id"])["min_quantity"] == "100.000"


def test_a_rule_missing_what_its_kind_needs_is_invalid_input(uow, rep):
    with pytest.raises(InvalidInput) as refused:
        use_cases.create_price_rule(uow(), rep, {"name": "v", "kind": "volume", "discount_percent": "8"})
    assert "min_quantity" in refused.value.errors
    assert queries.list_price_rules(uow(), rep, {})["items"] == []


def test_an_unknown_price_rule_is_not_found(uow, rep):
    with pytest.raises(NotFound):
        queries.get_price_rule(uow(), rep, str(uuid.uuid4()))


def test_lines_are_priced_by_the_best_rule_and_a_hand_discount_beyond_the_limit_is_flagged(uow, rep, product):
    use_cases.create_price_rule(uow(), rep, {"name": "volume", "kind": "volume", "discount_percent": "10",
                                             "min_quantity": "10"})
    customer = {"id": str(uuid.uuid4()), "kind": "company"}
    with uow() as unit:
        lines, max_discount, over_limit = use_cases.price_lines(unit.session, rep, [
            {"product_id": product["id"], "quantity": Decimal("10")}], customer, OrderLine)
        assert (lines[0].unit_price, lines[0].amount, over_limit) == (Decimal("1799.55"), Decimal("17995.50"), False)
        lines, max_discount, over_limit = use_cases.price_lines(unit.session, rep, [
            {"product_id": product["id"], "quantity": Decimal("1"), "discount_percent": Decimal("20")}],
            customer, OrderLine)
        assert (max_discount, over_limit) == (Decimal("20"), True)


def test_an_inactive_or_unknown_product_cannot_be_priced(uow, rep, product):
    use_cases.update_product(uow(), rep, product["id"], {"active": False})
    with uow() as unit, pytest.raises(InvalidInput) as refused:
        use_cases.price_lines(unit.session, rep, [{"product_id": product["id"], "quantity": Decimal("1")},
                                                  {"product_id": uuid.uuid4(), "quantity": Decimal("1")}],
                              {"id": "c"}, OrderLine)
    assert set(refused.value.errors["lines"]) == {"0", "1"}
