"""Category trees through their use cases: paths, kinds, depth and sibling names."""
import uuid

import pytest

from crm_common.errors import BadRequest, Conflict, Forbidden, InvalidInput
from crm_workspace.categories import queries, use_cases
from crm_workspace.categories.rules import MAX_DEPTH


@pytest.fixture
def admin(principal_factory):
    return principal_factory(permissions={"categories.write"})


def create(uow, who, name, kind="business", parent=None):
    return use_cases.create(uow(), who, {"kind": kind, "name": name, "parent_id": parent})


def names(uow, who, kind="business"):
    return [c["name"] for c in queries.list_(uow(), who, {"kind": kind})["items"]]


def test_a_child_extends_its_parents_path_and_lists_after_it(uow, admin):
    root = create(uow, admin, "售后")
    child = create(uow, admin, "维修", parent=root["id"])
    assert root["path"] == f"/{root['id']}/" and child["path"] == f"{root['path']}{child['id']}/"
    assert child["parent_id"] == root["id"]
    assert names(uow, admin) == ["售后", "维修"]
    assert names(uow, admin, "article") == []


def test_a_parent_of_another_kind_or_branch_is_invalid_input(uow, admin, principal_factory):
    article = create(uow, admin, "产品手册", kind="article")
    with pytest.raises(InvalidInput) as refused:
        create(uow, admin, "维修", parent=article["id"])
    assert "parent_id" in refused.value.errors
    elsewhere = principal_factory(permissions={"categories.write"}, branch="BJ")
    with pytest.raises(InvalidInput):
        create(uow, elsewhere, "手册", kind="article", parent=article["id"])
    with pytest.raises(InvalidInput):
        create(uow, admin, "x", parent=str(uuid.uuid4()))
    assert names(uow, admin) == []


def test_trees_nest_only_so_deep(uow, admin):
    parent = None
    for level in range(MAX_DEPTH):
        parent = create(uow, admin, f"L{level}", parent=parent and parent["id"])
    with pytest.raises(InvalidInput):
        create(uow, admin, "too deep", parent=parent["id"])
    assert len(names(uow, admin)) == MAX_DEPTH


def test_siblings_do_not_share_a_name_roots_included(uow, admin):
    root = create(uow, admin, "售后")
    create(uow, admin, "维修", parent=root["id"])
    with pytest.raises(Conflict):
        create(uow, admin, "售后")
    with pytest.raises(Conflict):
        create(uow, admin, "维修", parent=root["id"])
    assert create(uow, admin, "售后", kind="document")["kind"] == "document"
    assert names(uow, admin) == ["售后", "维修"]


def test_each_branch_has_its_own_tree(uow, admin, principal_factory):
    create(uow, admin, "售后")
    assert names(uow, principal_factory(branch="BJ")) == []


def test_writing_needs_the_permission_and_bad_input_is_refused(uow, admin, principal_factory):
    with pytest.raises(Forbidden):
        create(uow, principal_factory(), "售后")
    with pytest.raises(InvalidInput):
        create(uow, admin, "售后", kind="other")
    with pytest.raises(BadRequest):
        queries.list_(uow(), admin, {})
