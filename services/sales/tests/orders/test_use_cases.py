"""Orders through their use cases on the sales database alone (no broker, no customers service)."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_sales.orders import queries, use_cases
from crm_sales.catalog import use_cases as catalog

CUSTOMER = {"id": str(uuid.uuid4()), "name": "上海天马贸易有限公司", "value_level": None}


def lookup(customer_id):
    if customer_id != CUSTOMER["id"]:
        raise NotFound("Customer not found")
    return CUSTOMER


@pytest.fixture
def rep(principal_factory):
    return principal_factory(permissions={"orders.write", "orders.read", "products.write", "products.read"},
                             scope="own")


@pytest.fixture
def product(uow, rep):
    return catalog.create_product(uow(), rep, {"code": "P-1", "name": "打印机", "list_price": "1999.50"})


def test_a_draft_order_prices_its_lines_from_the_catalogue(uow, rep, product):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "3"}]}, lookup)
    assert order["status"] == "draft" and order["number"].startswith("SO-HQ-")
    assert Decimal(order["total"]) == Decimal("5998.50")
    assert queries.get(uow(), rep, order["id"])["customer_name"] == CUSTOMER["name"]


def test_an_unseen_customer_is_invalid_input_and_nothing_is_written(uow, rep, product):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, {"customer_id": str(uuid.uuid4()),
                                   "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_another_reps_order_is_not_found(uow, rep, product, principal_factory):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, order["id"])


def test_completing_a_draft_is_refused_naming_what_is_allowed(uow, rep, product):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    with pytest.raises(Conflict):
        use_cases.complete(uow(), rep, order["id"], None)
    assert queries.get(uow(), rep, order["id"])["status"] == "draft"


def test_submitting_asks_for_approval_through_the_outbox(uow, rep, product, emitted):
    order = use_cases.create(uow(), rep, {"customer_id": CUSTOMER["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}, lookup)
    assert use_cases.submit(uow(), rep, order["id"], None)["status"] == "submitted"
    names = [name for name, _ in emitted()]
    assert names and all(name.startswith("sales.") for name in names)
