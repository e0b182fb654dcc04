"""Interactions and visit reports through their use cases."""
import uuid

import pytest

from crm_common.errors import BadRequest, InvalidInput, NotFound
from crm_customers.contacts import use_cases as contacts
from crm_customers.customers import queries as customer_queries
from crm_customers.interactions import queries, use_cases

CALL = {"kind": "call", "summary": "电话沟通报价", "next_step": "寄样品"}


def test_an_interaction_restarts_the_follow_up_clock_and_is_listed(uow, rep, customer):
    interaction = use_cases.create(uow(), rep, customer["id"], CALL)
    assert interaction["author_id"] == rep.user_id and interaction["occurred_at"]
    assert [i["id"] for i in queries.list_(uow(), rep, customer["id"], {})["items"]] == [interaction["id"]]
    [after] = customer_queries.list_(uow(), rep, {})["items"]
    assert after["last_activity_at"] > customer["last_activity_at"]
    assert customer_queries.history(uow(), rep, customer["id"], {})["items"][0]["kind"] == "interaction_added"


def test_save_and_copy_prefills_from_the_earlier_report(uow, rep, customer):
    contact = contacts.create(uow(), rep, customer["id"], {"name": "王经理"})
    first = use_cases.create(uow(), rep, customer["id"], {**CALL, "contact_id": contact["id"]})
    copy = use_cases.copy(uow(), rep, first["id"], {"kind": "visit"})
    assert copy["copied_from_id"] == first["id"] and copy["kind"] == "visit"
    assert (copy["summary"], copy["contact_id"]) == (first["summary"], contact["id"])


def test_a_contact_of_another_customer_is_invalid_and_nothing_is_written(uow, rep, customer, new_customer):
    elsewhere = new_customer("别家")
    stranger = contacts.create(uow(), rep, elsewhere["id"], {"name": "外人"})
    for body in ({**CALL, "contact_id": stranger["id"]}, {**CALL, "kind": "lunch"}, {"kind": "call"},
                 {**CALL, "author_id": rep.user_id}):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), rep, customer["id"], body)
    assert queries.list_(uow(), rep, customer["id"], {})["items"] == []


def test_interactions_of_anothers_customer_are_not_found(uow, rep, other_rep, customer):
    first = use_cases.create(uow(), rep, customer["id"], CALL)
    with pytest.raises(NotFound):
        use_cases.create(uow(), other_rep, customer["id"], CALL)
    with pytest.raises(NotFound):
        use_cases.copy(uow(), other_rep, first["id"], {})
    with pytest.raises(NotFound):
        queries.list_(uow(), other_rep, customer["id"], {})
    for missing in (str(uuid.uuid4()), "x"):
        with pytest.raises(NotFound):
            use_cases.copy(uow(), rep, missing, {})


def test_interactions_sort_from_an_allow_list(uow, rep, customer):
    early = use_cases.create(uow(), rep, customer["id"], {**CALL, "occurred_at": "2026-01-05T10:00:00+08:00"})
    late = use_cases.create(uow(), rep, customer["id"], {**CALL, "occurred_at": "2026-03-05T10:00:00+08:00"})
    assert [i["id"] for i in queries.list_(uow(), rep, customer["id"], {})["items"]] == [late["id"], early["id"]]
    assert [i["id"] for i in queries.list_(uow(), rep, customer["id"], {"sort": "occurred_at"})["items"]] == [
        early["id"], late["id"]]
    with pytest.raises(BadRequest):
        queries.list_(uow(), rep, customer["id"], {"sort": "summary"})
