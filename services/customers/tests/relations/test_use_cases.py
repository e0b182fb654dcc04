"""Relations between customers through their use cases: both ends must be visible."""
import uuid

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_customers.relations import queries, use_cases


@pytest.fixture
def parent_and_child(new_customer):
    return new_customer("天马集团"), new_customer("天马上海分公司")


def test_a_relation_is_listed_from_both_ends(uow, rep, parent_and_child):
    parent, child = parent_and_child
    relation = use_cases.create(uow(), rep, parent["id"], {"to_id": child["id"], "kind": "parent_subsidiary"})
    for end in parent_and_child:
        assert [r["id"] for r in queries.list_(uow(), rep, end["id"], {})["items"]] == [relation["id"]]


def test_the_same_relation_twice_is_a_conflict(uow, rep, parent_and_child):
    parent, child = parent_and_child
    use_cases.create(uow(), rep, parent["id"], {"to_id": child["id"], "kind": "partner"})
    with pytest.raises(Conflict):
        use_cases.create(uow(), rep, parent["id"], {"to_id": child["id"], "kind": "partner"})
    assert len(queries.list_(uow(), rep, parent["id"], {})["items"]) == 1


def test_an_unseen_self_or_unknown_target_is_invalid_and_nothing_is_written(uow, rep, other_rep, new_customer,
                                                                            customer):
    hidden = new_customer("别人的客户", who=other_rep)
    for body in ({"to_id": hidden["id"], "kind": "partner"}, {"to_id": customer["id"], "kind": "partner"},
                 {"to_id": str(uuid.uuid4()), "kind": "partner"}, {"to_id": hidden["id"], "kind": "friend"}):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), rep, customer["id"], body)
    assert queries.list_(uow(), rep, customer["id"], {})["items"] == []


def test_a_relation_is_removed_by_who_sees_its_source(uow, rep, other_rep, parent_and_child):
    parent, child = parent_and_child
    relation = use_cases.create(uow(), rep, parent["id"], {"to_id": child["id"], "kind": "agent"})
    with pytest.raises(NotFound):
        use_cases.remove(uow(), other_rep, relation["id"])
    use_cases.remove(uow(), rep, relation["id"])
    assert queries.list_(uow(), rep, parent["id"], {})["items"] == []
    with pytest.raises(NotFound):
        use_cases.remove(uow(), rep, relation["id"])
