"""The customer group tree (客户群) and the customers in it, through the use cases."""
import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_customers.customers import queries as customer_queries, use_cases as customers
from crm_customers.groups import queries, use_cases

UNKNOWN = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def keeper(principal_factory):
    """Whoever keeps the dictionaries (admin.dictionaries)."""
    return principal_factory(permissions={"customers.read", "admin.dictionaries"}, scope="all", username="keeper")


@pytest.fixture
def tree(uow, keeper):
    east = use_cases.create(uow(), keeper, {"name": "华东"})
    big = use_cases.create(uow(), keeper, {"name": "大客户", "parent_id": east["id"]})
    hz = use_cases.create(uow(), keeper, {"name": "杭州", "parent_id": big["id"]})
    return {"east": east, "big": big, "hz": hz}


def test_a_tree_of_three_levels_is_read_parents_first(uow, rep, tree):
    assert tree["hz"]["path"] == "华东/大客户/杭州" and tree["hz"]["depth"] == 3
    nodes = queries.tree(uow(), rep, {})["items"]
    assert [(n["path"], n["parent_id"]) for n in nodes] == [
        ("华东", None), ("华东/大客户", tree["east"]["id"]), ("华东/大客户/杭州", tree["big"]["id"])]


def test_a_fourth_level_an_unknown_parent_and_a_sibling_of_the_same_name_are_refused(uow, keeper, tree):
    for body, field in (({"name": "西湖", "parent_id": tree["hz"]["id"]}, "parent_id"),
                        ({"name": "x", "parent_id": UNKNOWN}, "parent_id"),
                        ({"name": "大客户", "parent_id": tree["east"]["id"]}, "name"),
                        ({"name": "华东/上海"}, "name"), ({"name": "x", "owner": "me"}, "owner")):
        with pytest.raises(InvalidInput) as refused:
            use_cases.create(uow(), keeper, body)
        assert field in refused.value.errors
    with pytest.raises(InvalidInput):
        use_cases.rename(uow(), keeper, tree["hz"]["id"], {"name": "杭州", "parent_id": UNKNOWN})
    assert len(queries.tree(uow(), keeper, {})["items"]) == 3


def test_only_the_dictionary_keeper_writes_the_tree(uow, rep, admin, tree):
    for who in (rep, admin):  # customers.admin is not the dictionaries' permission
        with pytest.raises(Forbidden):
            use_cases.create(uow(), who, {"name": "华北"})
        with pytest.raises(Forbidden):
            use_cases.retire(uow(), who, tree["east"]["id"])


def test_customers_take_a_group_and_the_filter_takes_its_sub_groups(uow, rep, keeper, tree, new_customer):
    other = use_cases.create(uow(), keeper, {"name": "华东区"})
    a = new_customer("甲", group_id=tree["hz"]["id"])
    new_customer("乙", group_id=other["id"])
    new_customer("丙")
    assert (a["group_id"], a["group_path"]) == (tree["hz"]["id"], "华东/大客户/杭州")
    names = lambda group: [c["name"] for c in customer_queries.list_(uow(), rep, {"group": group})["items"]]  # noqa: E731
    assert names("华东") == ["甲"] and names("华东/大客户/杭州") == ["甲"] and names("华东区") == ["乙"]
    moved = customers.update(uow(), rep, a["id"], {"group_id": tree["east"]["id"]})
    assert moved["group_path"] == "华东"
    assert customers.update(uow(), rep, a["id"], {"group_id": None})["group_path"] is None


def test_an_unknown_or_retired_group_is_refused_naming_group_id(uow, rep, keeper, tree, new_customer):
    kept = new_customer("甲", group_id=tree["hz"]["id"])
    retired = use_cases.retire(uow(), keeper, tree["big"]["id"])
    assert retired["active"] is False
    assert [n["path"] for n in queries.tree(uow(), rep, {})["items"]] == ["华东"]  # the group below went with it
    assert len(queries.tree(uow(), rep, {"include_retired": "true"})["items"]) == 3
    for group_id in (UNKNOWN, tree["big"]["id"], tree["hz"]["id"]):
        with pytest.raises(InvalidInput) as refused:
            new_customer("乙", group_id=group_id)
        assert list(refused.value.errors) == ["group_id"]
    # a customer in a retired group keeps it through other changes
    assert customers.update(uow(), rep, kept["id"], {"name": "甲二", "group_id": tree["hz"]["id"]})[
        "group_path"] == "华东/大客户/杭州"
    with pytest.raises(Conflict):
        use_cases.retire(uow(), keeper, tree["big"]["id"])
    with pytest.raises(NotFound):
        use_cases.retire(uow(), keeper, UNKNOWN)


def test_a_rename_renames_the_paths_below_and_the_customers_copies(uow, rep, keeper, tree, new_customer):
    a = new_customer("甲", group_id=tree["hz"]["id"])
    renamed = use_cases.rename(uow(), keeper, tree["big"]["id"], {"name": "重点客户"})
    assert renamed["path"] == "华东/重点客户"
    assert [n["path"] for n in queries.tree(uow(), rep, {})["items"]][2] == "华东/重点客户/杭州"
    [found] = customer_queries.list_(uow(), rep, {"group": "华东/重点客户"})["items"]
    assert (found["id"], found["group_path"]) == (a["id"], "华东/重点客户/杭州")
    sibling = use_cases.create(uow(), keeper, {"name": "普通", "parent_id": tree["east"]["id"]})
    with pytest.raises(InvalidInput) as refused:
        use_cases.rename(uow(), keeper, sibling["id"], {"name": "重点客户"})
    assert "name" in refused.value.errors
