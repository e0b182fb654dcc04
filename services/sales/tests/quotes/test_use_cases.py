"""Quotes through their use cases on the sales database alone (fake customers, no broker)."""
import uuid
from datetime import timedelta

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_sales.orders import queries as orders
from crm_sales.quotes import queries, use_cases
from crm_common.branch_time import current_day  # the suite's days are Beijing's

NEXT_MONTH = (current_day() + timedelta(days=30)).isoformat()


@pytest.fixture
def quote(uow, rep, customers, customer, product):
    return use_cases.create(uow(), rep, {"customer_id": customer["id"], "valid_until": NEXT_MONTH,
                                         "lines": [{"product_id": product["id"], "quantity": "2"}]}, customers)


def _revise(uow, rep, customers, customer, product, quote_id, quantity):
    return use_cases.update(uow(), rep, quote_id, {"customer_id": customer["id"], "valid_until": NEXT_MONTH,
                                                   "lines": [{"product_id": product["id"], "quantity": quantity}]},
                            customers)


def test_a_quote_is_priced_from_the_catalogue_and_numbered(quote):
    assert (quote["status"], quote["revision"], quote["total"]) == ("open", 1, "3999.00")
    assert quote["number"].startswith("QT-HQ-") and quote["lines"][0]["unit_price"] == "1999.50"


def test_a_revision_keeps_what_the_customer_saw_before(uow, rep, customers, customer, product, quote):
    revised = _revise(uow, rep, customers, customer, product, quote["id"], "3")
    assert (revised["revision"], revised["total"]) == (2, "5998.50")
    (before,) = queries.get(uow(), rep, quote["id"])["revisions"]
    assert (before["revision"], before["content"]["total"]) == (1, "3999.00")


def test_converting_makes_a_draft_order_with_the_quoted_prices(uow, rep, product, quote):
    order = use_cases.convert(uow(), rep, quote["id"], {"payment_terms_days": 60})
    assert (order["status"], order["total"], order["payment_terms_days"]) == ("draft", "3999.00", 60)
    assert order["number"].startswith("SO-HQ-") and order["notes"] == f"From quote {quote['number']} rev 1"
    assert [line["product_id"] for line in order["lines"]] == [product["id"]]
    converted = queries.get(uow(), rep, quote["id"])
    assert (converted["status"], converted["order_id"]) == ("converted", order["id"])
    assert orders.get(uow(), rep, order["id"])["customer_name"] == quote["customer_name"]


def test_a_converted_quote_is_neither_converted_again_nor_revised(uow, rep, customers, customer, product, quote):
    use_cases.convert(uow(), rep, quote["id"], None)
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.convert(uow(), rep, quote["id"], None)
    assert refused.value.errors == {"status": ["converted"], "allowed_actions": []}
    with pytest.raises(Conflict):
        _revise(uow, rep, customers, customer, product, quote["id"], "5")
    assert len(orders.list_(uow(), rep, {})["items"]) == 1


def test_an_expired_quote_is_revised_before_it_is_converted(uow, rep, customers, customer, product):
    stale = use_cases.create(uow(), rep, {"customer_id": customer["id"],
                                          "valid_until": (current_day() - timedelta(days=1)).isoformat(),
                                          "lines": [{"product_id": product["id"], "quantity": "1"}]}, customers)
    with pytest.raises(Conflict, match="expired"):
        use_cases.convert(uow(), rep, stale["id"], None)
    assert queries.get(uow(), rep, stale["id"])["status"] == "open"
    assert orders.list_(uow(), rep, {})["items"] == []


def test_a_quote_for_an_unseen_customer_is_invalid_input_and_nothing_is_written(uow, rep, customers, product):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, {"customer_id": str(uuid.uuid4()), "valid_until": NEXT_MONTH,
                                      "lines": [{"product_id": product["id"], "quantity": "1"}]}, customers)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_a_quote_without_lines_is_invalid_input(uow, rep, customers, customer):
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, {"customer_id": customer["id"], "valid_until": NEXT_MONTH, "lines": []},
                         customers)


def test_another_reps_quote_is_not_found(uow, rep, principal_factory, quote):
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, quote["id"])
    with pytest.raises(NotFound):
        use_cases.convert(uow(), other, quote["id"], None)


def test_quotes_are_listed_by_status_without_their_lines(uow, rep, quote):
    (listed,) = queries.list_(uow(), rep, {"status": "open"})["items"]
    assert listed["id"] == quote["id"] and "lines" not in listed
    assert queries.list_(uow(), rep, {"status": "converted"})["items"] == []


def test_another_rep_cannot_revise_the_quote(uow, rep, principal_factory, customers, customer, product, quote):
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        _revise(uow, other, customers, customer, product, quote["id"], "7")
    assert queries.get(uow(), rep, quote["id"])["revision"] == 1


def test_reading_quotes_needs_the_orders_permission(uow, principal_factory, quote):
    from crm_common.errors import Forbidden
    with pytest.raises(Forbidden):
        queries.get(uow(), principal_factory(permissions={"products.read"}), quote["id"])
