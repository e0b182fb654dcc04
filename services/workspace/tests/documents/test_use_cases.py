"""The document centre's metadata through its use cases: who sees a document and who shares it."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_workspace.categories import use_cases as categories
from crm_workspace.documents import queries, use_cases

RW = {"documents.read", "documents.write"}


@pytest.fixture
def person(principal_factory):
    def make(path="/hq/sales/", **kw):
        return principal_factory(permissions=RW | {"categories.write"}, scope="own", department_path=path, **kw)
    return make


def register(uow, who, **extra):
    return use_cases.register(uow(), who, {
        "name": "报价单.pdf", "content_type": "application/pdf", "size": 1024, "sha256": "a" * 64,
        "storage_key": uuid.uuid4().hex, **extra})


def test_a_registered_document_is_its_owners_titled_by_its_name(uow, person):
    me = person()
    doc = register(uow, me)
    assert doc["title"] == "报价单.pdf" and doc["owner_id"] == me.user_id
    assert queries.get(uow(), me, doc["id"])["size"] == 1024
    assert "storage_key" not in doc
    assert queries.open_for_download(uow(), me, doc["id"])["storage_key"]
    with pytest.raises(NotFound):
        queries.get(uow(), person(), doc["id"])


def test_sharing_with_a_user_or_a_department_lets_them_see_it_once(uow, person):
    me, friend, sub, elsewhere = person(), person("/x/"), person("/hq/sales/east/"), person("/hq/finance/")
    doc = register(uow, me)
    shares = use_cases.share(uow(), me, doc["id"], {"user_ids": [friend.user_id, friend.user_id],
                                                    "department_paths": ["/hq/sales/"]})
    again = use_cases.share(uow(), me, doc["id"], {"user_ids": [friend.user_id]})
    assert len(shares) == 2 and [s["id"] for s in again] == [s["id"] for s in shares]
    assert queries.get(uow(), friend, doc["id"])["id"] == doc["id"]
    assert [d["id"] for d in queries.list_(uow(), sub, {})["items"]] == [doc["id"]]
    with pytest.raises(NotFound):
        queries.get(uow(), elsewhere, doc["id"])
    with pytest.raises(NotFound):
        queries.get(uow(), person("/hq/sales/", branch="BJ"), doc["id"])


def test_whoever_it_was_shared_with_cannot_share_or_delete_it(uow, person):
    me, friend = person(), person("/x/")
    doc = register(uow, me)
    use_cases.share(uow(), me, doc["id"], {"user_ids": [friend.user_id]})
    with pytest.raises(NotFound):
        use_cases.share(uow(), friend, doc["id"], {"user_ids": [str(uuid.uuid4())]})
    with pytest.raises(NotFound):
        use_cases.delete(uow(), friend, doc["id"])
    assert queries.get(uow(), me, doc["id"])["id"] == doc["id"]


def test_deleting_answers_where_the_bytes_were(uow, person):
    me = person()
    doc = register(uow, me, storage_key="f" * 32)
    assert use_cases.delete(uow(), me, doc["id"]) == {"storage_key": "f" * 32}
    with pytest.raises(NotFound):
        queries.get(uow(), me, doc["id"])


def test_lists_search_names_and_titles_and_follow_category_subtrees(uow, person):
    me = person()
    contracts = categories.create(uow(), me, {"kind": "document", "name": "合同"})
    framework = categories.create(uow(), me, {"kind": "document", "name": "框架", "parent_id": contracts["id"]})
    filed = register(uow, me, name="框架协议.docx", category_id=framework["id"])
    register(uow, me, title="100%_确认")
    assert [d["id"] for d in queries.list_(uow(), me, {"category_id": contracts["id"]})["items"]] == [filed["id"]]
    assert [d["title"] for d in queries.list_(uow(), me, {"q": "%_"})["items"]] == ["100%_确认"]


def test_bad_metadata_is_refused_and_nothing_is_written(uow, person):
    me = person()
    business = categories.create(uow(), me, {"kind": "business", "name": "售后"})
    for bad in ({"sha256": "x"}, {"storage_key": "../etc"}, {"size": 0}, {"category_id": business["id"]},
                {"owner_id": me.user_id}):
        with pytest.raises(InvalidInput):
            register(uow, me, **bad)
    with pytest.raises(InvalidInput):
        use_cases.share(uow(), me, register(uow, me)["id"], {"department_paths": ["/a"]})
    assert len(queries.list_(uow(), me, {})["items"]) == 1


def test_reading_and_writing_need_their_permissions(uow, principal_factory):
    with pytest.raises(Forbidden):
        register(uow, principal_factory(permissions={"documents.read"}))
    with pytest.raises(Forbidden):
        queries.list_(uow(), principal_factory(permissions={"documents.write"}), {})
