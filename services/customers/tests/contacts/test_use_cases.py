"""Contacts through their use cases: visible exactly when their customer is."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_customers.contacts import queries, use_cases
from crm_customers.customers import queries as customer_queries


def test_a_contact_is_added_listed_and_recorded_in_the_history(uow, rep, customer):
    contact = use_cases.create(uow(), rep, customer["id"], {"name": "王经理", "mobile": "13800138000",
                                                            "decision_role": "decision_maker"})
    assert contact["customer_id"] == customer["id"]
    assert [c["name"] for c in queries.list_(uow(), rep, customer["id"], {})["items"]] == ["王经理"]
    assert customer_queries.history(uow(), rep, customer["id"], {})["items"][0]["kind"] == "contact_added"


def test_contacts_filter_by_name(uow, rep, customer):
    for name in ("王经理", "李总"):
        use_cases.create(uow(), rep, customer["id"], {"name": name})
    assert [c["name"] for c in queries.list_(uow(), rep, customer["id"], {"name": "李"})["items"]] == ["李总"]


def test_bad_input_is_refused_and_nothing_is_written(uow, rep, customer):
    for body in ({"name": ""}, {"name": "王", "decision_role": "boss"}, {"name": "王", "customer_id": customer["id"]},
                 {"name": "王", "birthday": "31/01/1980"}):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), rep, customer["id"], body)
    assert queries.list_(uow(), rep, customer["id"], {})["items"] == []


def test_reports_to_stays_inside_the_customer_and_makes_no_cycle(uow, rep, customer, new_customer):
    boss = use_cases.create(uow(), rep, customer["id"], {"name": "总经理"})
    staff = use_cases.create(uow(), rep, customer["id"], {"name": "采购", "reports_to_id": boss["id"]})
    assert staff["reports_to_id"] == boss["id"]
    with pytest.raises(InvalidInput):
        use_cases.update(uow(), rep, boss["id"], {"reports_to_id": staff["id"]})
    elsewhere = new_customer("别家公司")
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), rep, elsewhere["id"], {"name": "外人", "reports_to_id": boss["id"]})


def test_an_update_changes_only_what_differs(uow, rep, customer):
    contact = use_cases.create(uow(), rep, customer["id"], {"name": "王经理"})
    updated = use_cases.update(uow(), rep, contact["id"], {"title": "采购总监", "name": "王经理"})
    assert updated["title"] == "采购总监"
    row = customer_queries.history(uow(), rep, customer["id"], {})["items"][0]
    assert (row["kind"], row["data"]["fields"]) == ("contact_updated", ["title"])


def test_contacts_of_anothers_customer_are_not_found(uow, rep, other_rep, customer):
    contact = use_cases.create(uow(), rep, customer["id"], {"name": "王经理"})
    with pytest.raises(NotFound):
        use_cases.update(uow(), other_rep, contact["id"], {"title": "x"})
    with pytest.raises(NotFound):
        use_cases.create(uow(), other_rep, customer["id"], {"name": "x"})
    with pytest.raises(NotFound):
        queries.list_(uow(), other_rep, customer["id"], {})
    for missing in (str(uuid.uuid4()), "nope"):
        with pytest.raises(NotFound):
            use_cases.update(uow(), rep, missing, {"title": "x"})


def test_a_reader_may_not_add_contacts(uow, principal_factory, customer):
    reader = principal_factory(permissions={"customers.read"}, scope="all")
    with pytest.raises(Forbidden):
        use_cases.create(uow(), reader, customer["id"], {"name": "王"})


def test_a_phone_number_finds_the_contact_first_then_the_customer(uow, rep, other_rep, new_customer):
    customer = new_customer("天马", phone="021-6666 7777")
    contact = use_cases.create(uow(), rep, customer["id"], {"name": "王经理", "mobile": "+86 138 0013 8000"})
    found = queries.find_by_phone(uow(), rep, "138-0013-8000")
    assert (found["contact_id"], found["customer_id"]) == (contact["id"], customer["id"])
    by_customer = queries.find_by_phone(uow(), rep, "02166667777")
    assert by_customer["customer_name"] == "天马" and by_customer["contact_id"] is None
    assert queries.find_by_phone(uow(), other_rep, "13800138000") is None  # out of scope: no match
    assert queries.find_by_phone(uow(), rep, "13") is None
