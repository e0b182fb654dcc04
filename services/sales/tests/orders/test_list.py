"""The order list's statement built once per shape answers what the per-call ORM statement
answers (`filtered` + keyset_page, as the list read before), byte for byte, for every filter,
sort, scope and page."""
import pytest

from crm_common import wire
from crm_common.pagination import keyset_page
from crm_common.validation import load_query
from crm_sales.orders import queries, use_cases
from crm_sales.orders.schemas import OrderListQuery, OrderOut


def reference(uow, principal, query) -> dict:
    q = load_query(OrderListQuery(), query)
    with uow.reading():
        rows, cursor = keyset_page(uow.session, queries.filtered(principal, q), queries.Order.id, q, queries.SORTS,
                                   "-created_at")
        return {"items": OrderOut(many=True).dump(rows), "next_cursor": cursor}


def every_page(list_, uow, principal, query) -> list:
    pages, cursor = [], None
    while True:
        page = list_(uow(), principal, {**query, **({"cursor": cursor} if cursor else {})})
        pages.append(wire.dumps(page))
        cursor = page["next_cursor"]
        if not cursor:
            return pages


@pytest.fixture
def people(principal_factory):
    permissions = {"orders.write", "orders.read", "products.write", "products.read"}
    rep = principal_factory(permissions=permissions, scope="own", department_path="/d1/a/")
    return {"rep": rep,
            "colleague": principal_factory(permissions=permissions, scope="own", department_path="/d1/a/"),
            "department": principal_factory(permissions=permissions, scope="department", department_path="/d1/a/"),
            "subtree": principal_factory(permissions=permissions, scope="subtree", department_path="/d1/"),
            "branch": principal_factory(permissions=permissions, scope="branch", department_path="/d2/"),
            "all": principal_factory(permissions=permissions, scope="all", department_path="/d2/"),
            "other branch": principal_factory(permissions=permissions, scope="branch", branch="SH")}


@pytest.fixture
def orders(uow, people, customers, product):
    first, second = customers.add(), customers.add(name="杭州宏达机械有限公司")
    made = []
    for n, who in enumerate(["rep", "rep", "colleague", "rep", "colleague", "rep", "rep"]):
        customer = first if n % 3 else second
        order = use_cases.create(uow(), people[who], {"customer_id": customer["id"], "lines": [
            {"product_id": product["id"], "quantity": str(1 + n % 4)}]}, customers)
        if n % 2:
            use_cases.submit(uow(), people[who], order["id"])
        made.append(order)
    return {"first": first, "second": second, "orders": made}


QUERIES = [{}, {"limit": "2"}, {"limit": "3", "sort": "number"}, {"limit": "2", "sort": "-number"},
           {"limit": "2", "sort": "total"}, {"limit": "3", "sort": "-total"}, {"limit": "2", "sort": "created_at"},
           {"status": "submitted"}, {"status": "draft", "limit": "1"}, {"order_type": "sale"},
           {"order_type": "sample"}]


@pytest.mark.parametrize("query", QUERIES, ids=str)
@pytest.mark.parametrize("who", ["rep", "colleague", "department", "subtree", "branch", "all", "other branch"])
def test_every_page_is_the_answer_of_the_orm_statement(uow, people, orders, query, who):
    principal = people[who]
    assert every_page(queries.list_, uow, principal, query) == every_page(reference, uow, principal, query)


def test_the_id_filters_and_the_number_answer_the_same(uow, people, orders):
    rep = people["rep"]
    for query in ({"customer_id": orders["first"]["id"]}, {"customer_id": orders["second"]["id"], "limit": "1"},
                  {"owner_id": rep.user_id}, {"owner_id": people["colleague"].user_id},
                  {"number": orders["orders"][0]["number"]}, {"number": "SO-none"}):
        for who in ("rep", "all"):
            assert every_page(queries.list_, uow, people[who], query) == \
                every_page(reference, uow, people[who], query)


def test_the_pages_hold_what_the_scope_sees(uow, people, orders):
    """Not only equal to the reference: the rep's own five, the department's seven, another branch none."""
    def numbers(who, query=None):
        return [o["number"] for page in every_page(queries.list_, uow, people[who], {"limit": "2", **(query or {})})
                for o in wire.loads(page)["items"]]
    made = [o["number"] for o in orders["orders"]]
    assert sorted(numbers("rep")) == sorted(made[i] for i in (0, 1, 3, 5, 6))
    assert sorted(numbers("department")) == sorted(made)
    assert numbers("other branch") == []
    assert numbers("all", {"sort": "number"}) == sorted(made)
    assert numbers("all", {"sort": "-number"}) == sorted(made, reverse=True)
