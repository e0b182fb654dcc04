"""Custom field definitions and the values they allow, through the use cases."""
import pytest

from crm_common.errors import BadRequest, Conflict, Forbidden, InvalidInput
from crm_customers.contacts import use_cases as contacts
from crm_customers.customers import queries as customer_queries, use_cases as customers
from crm_customers.fields import queries, use_cases

LEVEL = {"entity": "customer", "key": "level", "label": "等级", "type": "select", "options": ["gold", "silver"]}


def test_an_admin_defines_a_field_and_everyone_reads_the_definitions(uow, admin, rep):
    created = use_cases.create(uow(), admin, LEVEL)
    assert created["key"] == "level" and created["options"] == ["gold", "silver"]
    assert [d["key"] for d in queries.list_(uow(), rep, {})["items"]] == ["level"]


def test_a_rep_may_not_define_fields(uow, rep):
    with pytest.raises(Forbidden):
        use_cases.create(uow(), rep, LEVEL)


def test_a_select_without_options_is_invalid_and_nothing_is_written(uow, admin):
    for body in ({**LEVEL, "options": []}, {**LEVEL, "type": "colour"}, {**LEVEL, "key": "Level"}):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), admin, body)
    assert queries.list_(uow(), admin, {})["items"] == []


def test_a_key_is_defined_once_per_entity(uow, admin):
    use_cases.create(uow(), admin, LEVEL)
    with pytest.raises(Conflict):
        use_cases.create(uow(), admin, LEVEL)
    assert use_cases.create(uow(), admin, {**LEVEL, "entity": "contact"})["entity"] == "contact"


def test_custom_values_are_checked_filtered_and_sorted(uow, admin, rep):
    use_cases.create(uow(), admin, LEVEL)
    use_cases.create(uow(), admin, {"entity": "customer", "key": "staff", "label": "人数", "type": "number"})
    with pytest.raises(InvalidInput) as refused:
        customers.create(uow(), rep, {"name": "甲", "custom": {"level": "bronze", "nope": 1}})
    assert set(refused.value.errors["custom"]) == {"level", "nope"}
    customers.create(uow(), rep, {"name": "甲", "custom": {"level": "gold", "staff": "120"}})
    customers.create(uow(), rep, {"name": "乙", "custom": {"level": "silver", "staff": 9}})
    gold = customer_queries.list_(uow(), rep, {"cf.level": "gold"})["items"]
    assert [c["name"] for c in gold] == ["甲"] and gold[0]["custom"]["staff"] == 120
    by_staff = customer_queries.list_(uow(), rep, {"sort": "cf.staff"})["items"]
    assert [c["name"] for c in by_staff] == ["乙", "甲"]
    with pytest.raises(BadRequest):
        customer_queries.list_(uow(), rep, {"cf.level": "bronze"})


def test_an_update_merges_custom_values_and_none_removes_one(uow, admin, rep):
    use_cases.create(uow(), admin, LEVEL)
    use_cases.create(uow(), admin, {"entity": "customer", "key": "note", "label": "备注", "type": "text"})
    customer = customers.create(uow(), rep, {"name": "甲", "custom": {"level": "gold", "note": "x"}})
    updated = customers.update(uow(), rep, customer["id"], {"custom": {"note": None}})
    assert updated["custom"] == {"level": "gold"}


def test_contact_values_are_checked_against_the_contact_fields(uow, admin, rep, customer):
    use_cases.create(uow(), admin, {"entity": "contact", "key": "wechat", "label": "微信", "type": "text",
                                    "required": True})
    with pytest.raises(InvalidInput):
        contacts.create(uow(), rep, customer["id"], {"name": "王"})
    assert contacts.create(uow(), rep, customer["id"], {"name": "王", "custom": {"wechat": "wang"}})["custom"] == {
        "wechat": "wang"}
