"""The customer detail view: the record with the latest of every area."""
import pytest
from sqlalchemy import text

from crm_common.errors import Forbidden, NotFound
from crm_customers.aftersales import use_cases as aftersales
from crm_customers.contacts import use_cases as contacts
from crm_customers.interactions import use_cases as interactions
from crm_customers.pool.use_cases import ownership
from crm_customers.profile import queries
from crm_customers.relations import use_cases as relations


def test_the_detail_gathers_every_area(uow, rep, customer, new_customer):
    boss = contacts.create(uow(), rep, customer["id"], {"name": "王总", "is_key_member": True})
    contacts.create(uow(), rep, customer["id"], {"name": "小李"})
    interactions.create(uow(), rep, customer["id"], {"kind": "call", "summary": "电话"})
    aftersales.create_record(uow(), rep, "care_records", customer["id"], {"kind": "gift", "occurred_on": "2026-09-10"})
    partner = new_customer("合作伙伴")
    relations.create(uow(), rep, customer["id"], {"to_id": partner["id"], "kind": "partner"})
    detail = queries.get(uow(), rep, customer["id"])
    assert [c["name"] for c in detail["contacts"]] == ["王总", "小李"]
    assert [c["id"] for c in detail["key_members"]] == [boss["id"]]
    assert detail["interaction_count"] == 1 and len(detail["interactions"]) == 1
    assert len(detail["care_records"]) == 1 and detail["service_records"] == [] and detail["expenses"] == []
    assert [r["to_id"] for r in detail["relations"]] == [partner["id"]]
    assert detail["history"][0]["kind"] == "relation_added" and detail["code"] == customer["code"]


def test_a_customer_in_the_branch_pool_is_visible_to_any_reader(uow, rep, other_rep, customer):
    with pytest.raises(NotFound):
        queries.get(uow(), other_rep, customer["id"])
    ownership.release(uow(), rep, customer["id"], {})
    assert queries.get(uow(), other_rep, customer["id"])["in_pool"] is True


def test_the_detail_needs_the_read_permission(uow, principal_factory, customer):
    with pytest.raises(Forbidden):
        queries.get(uow(), principal_factory(permissions=set()), customer["id"])
    with pytest.raises(NotFound):
        queries.get(uow(), principal_factory(permissions={"customers.read"}), "not-a-uuid")


def test_the_detail_dumps_the_customer_as_its_entity_dumps(uow, rep, admin, new_customer):
    """The detail reads the customer's columns, not the entity: the same keys, in the same order,
    with the same values (the phones, the masked and the revealed ID number, a custom field)."""
    from crm_customers.customers.models import Customer
    from crm_customers.customers.queries import reveal
    from crm_customers.profile.schemas import CustomerDetailOut
    made = new_customer("北京测试客户", kind="individual", id_number="11010519491231002X",
                        phones=[{"number": "13800138000"}, {"kind": "office", "number": "0571-88886666"}],
                        tags=["重点"])
    with uow() as unit:  # a value only an exact JSON decoder keeps (a custom field as stored)
        unit.session.execute(text("UPDATE customers SET custom = '{\"n\": 123456789012345678901234567890}' WHERE id = :id"),
                             {"id": made["id"]})
    for who in (rep, admin):
        detail = queries.get(uow(), who, made["id"])
        with uow() as unit:
            expected = reveal(who, entity := unit.session.get(Customer, made["id"]),
                              CustomerDetailOut().dump(entity))
        own = [key for key in expected if key in detail and key not in queries.RECORD_KINDS
               and key not in ("contacts", "key_members", "interactions", "relations", "history", "interaction_count")]
        assert own == [key for key in detail if key in own]
        assert {key: detail[key] for key in own} == {key: expected[key] for key in own}
        assert len(detail["phones"]) == 2 and detail["custom"] == {"n": 123456789012345678901234567890}
