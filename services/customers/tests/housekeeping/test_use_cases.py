"""The recycle bin and merging customers through their use cases."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_customers.contacts import queries as contacts_queries, use_cases as contacts
from crm_customers.customers import queries as customer_queries
from crm_customers.housekeeping import queries, use_cases
from crm_customers.interactions import queries as interactions_queries, use_cases as interactions
from crm_customers.profile import queries as profile


@pytest.fixture
def keeper(principal_factory):
    return principal_factory(permissions={"customers.read", "customers.write", "customers.delete",
                                          "customers.merge"}, scope="own")


@pytest.fixture
def two(new_customer, keeper):
    return new_customer("天马贸易", who=keeper), new_customer("天马贸易有限公司", who=keeper)


def test_a_deleted_customer_waits_in_the_bin_and_comes_back(uow, keeper, two):
    customer = two[0]
    use_cases.delete_(uow(), keeper, customer["id"])
    with pytest.raises(NotFound):
        profile.get(uow(), keeper, customer["id"])
    assert [c["id"] for c in queries.list_deleted(uow(), keeper, {})["items"]] == [customer["id"]]
    restored = use_cases.restore(uow(), keeper, customer["id"], {})
    assert restored["id"] == customer["id"] and queries.list_deleted(uow(), keeper, {})["items"] == []
    kinds = [r["kind"] for r in customer_queries.history(uow(), keeper, customer["id"], {})["items"]]
    assert kinds[:2] == ["restored", "deleted"]


def test_only_a_binned_customer_is_restored_or_purged(uow, keeper, admin, two):
    with pytest.raises(NotFound):
        use_cases.restore(uow(), keeper, two[0]["id"], {})
    with pytest.raises(NotFound):
        use_cases.purge(uow(), admin, two[0]["id"], {})
    with pytest.raises(InvalidInput):
        use_cases.restore(uow(), keeper, two[0]["id"], {"now": True})


def test_purging_is_an_admins_and_takes_every_record_along(uow, keeper, admin, two):
    customer = two[0]
    contacts.create(uow(), keeper, customer["id"], {"name": "王经理"})
    interactions.create(uow(), keeper, customer["id"], {"kind": "call", "summary": "电话"})
    use_cases.delete_(uow(), keeper, customer["id"])
    with pytest.raises(Forbidden):
        use_cases.purge(uow(), keeper, customer["id"], {})
    assert use_cases.purge(uow(), admin, customer["id"], {}) == {"id": customer["id"], "purged": True}
    assert queries.list_deleted(uow(), admin, {})["items"] == []
    with pytest.raises(NotFound):
        use_cases.restore(uow(), admin, customer["id"], {})


def test_a_merge_moves_the_records_and_retires_the_source(uow, keeper, two, emitted):
    target, source = two
    contacts.create(uow(), keeper, source["id"], {"name": "王经理"})
    interactions.create(uow(), keeper, source["id"], {"kind": "visit", "summary": "拜访"})
    merged = use_cases.merge(uow(), keeper, target["id"], {"source_id": source["id"]})
    assert merged["id"] == target["id"]
    assert [c["name"] for c in contacts_queries.list_(uow(), keeper, target["id"], {})["items"]] == ["王经理"]
    assert len(interactions_queries.list_(uow(), keeper, target["id"], {})["items"]) == 1
    with pytest.raises(NotFound):
        profile.get(uow(), keeper, source["id"])
    assert queries.list_deleted(uow(), keeper, {})["items"] == []  # merged, not binned
    [(_, data)] = emitted("customers.customer_merged")
    assert (data["source_id"], data["target_id"]) == (source["id"], target["id"])


def test_a_merge_needs_two_visible_customers(uow, keeper, other_rep, new_customer, two):
    target = two[0]
    hidden = new_customer("别人的", who=other_rep)
    with pytest.raises(InvalidInput):
        use_cases.merge(uow(), keeper, target["id"], {"source_id": target["id"]})
    with pytest.raises(InvalidInput):
        use_cases.merge(uow(), keeper, target["id"], {"source_id": hidden["id"]})
    with pytest.raises(NotFound):
        use_cases.merge(uow(), keeper, hidden["id"], {"source_id": target["id"]})
    with pytest.raises(NotFound):
        use_cases.merge(uow(), keeper, str(uuid.uuid4()), {"source_id": target["id"]})
    assert len(customer_queries.list_(uow(), keeper, {})["items"]) == 2


def test_merging_and_deleting_need_their_permissions(uow, rep, customer, new_customer):
    other = new_customer("另一家")
    with pytest.raises(Forbidden):
        use_cases.merge(uow(), rep, customer["id"], {"source_id": other["id"]})
    with pytest.raises(Forbidden):
        use_cases.delete_(uow(), rep, customer["id"])


def test_a_binned_customer_takes_no_changes(uow, keeper, two):
    customer = two[0]
    use_cases.delete_(uow(), keeper, customer["id"])
    with pytest.raises(NotFound):
        contacts.create(uow(), keeper, customer["id"], {"name": "王"})
    with pytest.raises(NotFound):
        use_cases.delete_(uow(), keeper, customer["id"])
