"""Announcements through their use cases on the workspace database alone (no broker)."""
from datetime import timedelta

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.records import utcnow
from crm_workspace.announcements import queries, use_cases

WRITE = {"announcements.write", "announcements.read"}
SALES, EAST = "/hq/sales/", "/hq/sales/east/"


@pytest.fixture
def author(principal_factory):
    return principal_factory(permissions=WRITE, scope="own", department_path="/hq/")


@pytest.fixture
def reader(principal_factory):
    def make(path=EAST, branch="HQ", scope="own"):
        return principal_factory(permissions={"announcements.read"}, department_path=path, branch=branch,
                                 scope=scope)
    return make


def publish(uow, author, **extra):
    return use_cases.create(uow(), author, {"title": "年会通知", "body": "周五下午三点", **extra})


def test_a_new_announcement_reaches_the_whole_branch_unread(uow, author, reader):
    created = publish(uow, author)
    assert created["read"] is False and created["audience_department_paths"] == []
    assert created["owner_id"] == author.user_id and created["branch"] == "HQ"
    assert [a["id"] for a in queries.list_(uow(), reader(), {})["items"]] == [created["id"]]


def test_marking_read_keeps_the_first_time_and_shows_as_read(uow, author, reader):
    created, me = publish(uow, author), reader()
    first = use_cases.mark_read(uow(), me, created["id"])
    again = use_cases.mark_read(uow(), me, created["id"])
    assert first["read"] is True and again["read_at"] == first["read_at"]
    assert queries.get(uow(), me, created["id"])["read"] is True
    assert queries.get(uow(), reader(), created["id"])["read"] is False


def test_a_department_audience_reaches_sub_departments_only(uow, author, reader):
    created = publish(uow, author, audience_department_paths=[SALES, SALES])
    assert created["audience_department_paths"] == [SALES]
    assert queries.get(uow(), reader(EAST), created["id"])["id"] == created["id"]
    with pytest.raises(NotFound):
        queries.get(uow(), reader("/hq/finance/"), created["id"])
    assert queries.list_(uow(), reader("/hq/finance/"), {})["items"] == []


def test_another_branch_sees_nothing_unless_its_scope_is_all(uow, author, reader):
    created = publish(uow, author)
    with pytest.raises(NotFound):
        queries.get(uow(), reader(branch="BJ"), created["id"])
    assert queries.get(uow(), reader(branch="BJ", scope="all"), created["id"])["id"] == created["id"]


def test_future_and_expired_announcements_are_not_listed(uow, author, reader):
    now = utcnow()
    publish(uow, author, published_at=(now + timedelta(days=1)).isoformat())
    expired = publish(uow, author, published_at=(now - timedelta(days=2)).isoformat(),
                      expires_at=(now - timedelta(seconds=1)).isoformat())
    assert queries.list_(uow(), reader(), {})["items"] == []
    assert queries.get(uow(), reader(), expired["id"])["id"] == expired["id"]  # links keep working


def test_an_unpublished_announcement_is_not_found_yet(uow, author, reader):
    future = publish(uow, author, published_at=(utcnow() + timedelta(days=1)).isoformat())
    with pytest.raises(NotFound):
        use_cases.mark_read(uow(), reader(), future["id"])


def test_bad_input_is_refused_and_nothing_is_written(uow, author, reader):
    for bad in ({"title": "  "}, {"audience_department_paths": ["/a"]}, {"owner_id": author.user_id}):
        with pytest.raises(InvalidInput):
            publish(uow, author, **bad)
    assert queries.list_(uow(), reader(scope="all"), {})["items"] == []


def test_publishing_needs_the_write_permission(uow, reader):
    with pytest.raises(Forbidden):
        publish(uow, reader())


def test_receipts_are_for_the_author_and_their_scope(uow, author, reader, principal_factory):
    created, me = publish(uow, author), reader()
    use_cases.mark_read(uow(), me, created["id"])
    receipts = queries.read_receipts(uow(), author, created["id"])
    assert [r["user_id"] for r in receipts] == [me.user_id]
    colleague = principal_factory(permissions=WRITE, scope="own", department_path="/hq/")
    with pytest.raises(NotFound):
        queries.read_receipts(uow(), colleague, created["id"])


def test_an_id_that_is_no_uuid_is_not_found(uow, reader):
    with pytest.raises(NotFound):
        queries.get(uow(), reader(), "not-a-uuid")
