"""Team members of a customer (issue 17) through the use cases: who sees and changes it, who
chooses the team, expiry by the branch's clock, a transfer that keeps the old owner."""
from datetime import datetime, timezone

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_customers.customers import queries, use_cases as customers
from crm_customers.exchange import queries as exports
from crm_customers.pool.use_cases import ownership
from crm_customers.profile import queries as profile
from crm_customers.team import use_cases as team


@pytest.fixture
def manager(principal_factory):
    return principal_factory(permissions={"customers.read", "customers.write", "customers.assign",
                                          "customers.export"}, scope="branch")


@pytest.fixture
def outsider(principal_factory):
    """A rep of another department who may export: no scope over the rep's customers."""
    return principal_factory(permissions={"customers.read", "customers.write", "customers.export"}, scope="own",
                             department_path="/d9/", username="outsider")


def listed(uow, who, query=None) -> list:
    return [c["id"] for c in queries.list_(uow(), who, query or {})["items"]]


def test_a_member_outside_the_scope_sees_the_customer_everywhere_and_a_non_member_nowhere(
        uow, rep, outsider, customer, new_customer, user_of):
    mine = new_customer(name="北京星河科技有限公司")
    with pytest.raises(NotFound):
        profile.get(uow(), outsider, customer["id"])
    assert listed(uow, outsider) == []
    member = team.put_member(uow(), rep, customer["id"], {"user": user_of(outsider), "access": "read_only"})
    assert (member["user_id"], member["access"], member["expires_on"], member["live"]) == (
        outsider.user_id, "read_only", None, True)
    assert profile.get(uow(), outsider, customer["id"])["name"] == customer["name"]
    assert listed(uow, outsider) == [customer["id"]]
    assert listed(uow, outsider, {"name": "天马"}) == [customer["id"]]  # the name search
    assert listed(uow, outsider, {"name": "星河"}) == []
    page = exports.export_customers(uow(), outsider, {}, None)
    assert page["total"] == 1 and len(page["rows"]) == 1
    # the rep's own list keeps both, once each (scope and membership are disjoint halves)
    assert sorted(listed(uow, rep)) == sorted([customer["id"], mine["id"]])
    assert [m["user_id"] for m in team.list_members(uow(), outsider, customer["id"])] == [outsider.user_id]


def test_the_export_walks_the_scope_and_the_memberships_apart_page_by_page(
        uow, rep, outsider, new_customer, user_of, monkeypatch):
    """Like the list, the export pages each half on its own index range and merges them by
    (created_at, id): every customer once, in order, across pages."""
    from crm_common import exports as pages
    theirs = [new_customer(name=f"北京星河{i}号有限公司", who=outsider)["id"] for i in range(2)]
    shared = [new_customer(name=f"上海天马{i}号有限公司")["id"] for i in range(3)]
    for customer_id in shared[:2]:
        team.put_member(uow(), rep, customer_id, {"user": user_of(outsider), "access": "read_only"})
    monkeypatch.setattr(pages, "EXPORT_PAGE_ROWS", 3)
    first = exports.export_customers(uow(), outsider, {}, None)
    second = exports.export_customers(uow(), outsider, {}, first["next_cursor"])
    assert first["total"] == 4 and len(first["rows"]) == 3 and second["next_cursor"] is None
    code = [c["key"] for c in first["columns"]].index("code")
    exported = [row[code] for row in first["rows"] + second["rows"]]
    everything = queries.list_(uow(), outsider, {"sort": "created_at"})["items"]
    assert sorted(c["id"] for c in everything) == sorted(theirs + shared[:2])  # not the third shared one
    assert exported == [c["code"] for c in everything] and len(set(exported)) == 4


def test_read_only_may_not_edit_read_write_may_and_neither_chooses_the_team(
        uow, rep, outsider, other_rep, customer, user_of):
    team.put_member(uow(), rep, customer["id"], {"user": user_of(outsider), "access": "read_only"})
    with pytest.raises(Forbidden):  # visible, not allowed: 403 (the existing rule)
        customers.update(uow(), outsider, customer["id"], {"city": "杭州"})
    team.put_member(uow(), rep, customer["id"], {"user": user_of(outsider), "access": "read_write"})
    assert customers.update(uow(), outsider, customer["id"], {"city": "杭州"})["city"] == "杭州市"
    with pytest.raises(Forbidden):
        team.put_member(uow(), outsider, customer["id"], {"user": user_of(other_rep), "access": "read_only"})
    with pytest.raises(NotFound):  # who sees nothing learns nothing
        team.put_member(uow(), other_rep, customer["id"], {"user": user_of(other_rep), "access": "read_only"})
    team.remove_member(uow(), rep, customer["id"], outsider.user_id)
    with pytest.raises(NotFound):
        profile.get(uow(), outsider, customer["id"])
    with pytest.raises(NotFound):
        team.remove_member(uow(), rep, customer["id"], outsider.user_id)


def test_a_membership_ends_with_its_branch_day(uow, rep, outsider, customer, user_of, clock):
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc))  # 18:00 in Beijing
    member = team.put_member(uow(), rep, customer["id"], {"user": user_of(outsider), "access": "read_only",
                                                           "expires_on": "2026-12-01"})
    assert member["expires_at"].startswith("2026-12-01T16:00:00")
    assert listed(uow, outsider) == [customer["id"]]
    clock.set(datetime(2026, 12, 1, 16, 0, tzinfo=timezone.utc))  # midnight in Beijing
    assert listed(uow, outsider) == []
    with pytest.raises(NotFound):
        profile.get(uow(), outsider, customer["id"])
    assert team.list_members(uow(), rep, customer["id"])[0]["live"] is False


def test_what_a_membership_may_not_be(uow, rep, outsider, customer, user_of, clock):
    clock.set(datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc))
    for body, field in (({"user": user_of(rep), "access": "read_only"}, "user_id"),
                        ({"user": user_of(outsider), "access": "read_only", "expires_on": "2026-11-30"}, "expires_on"),
                        ({"user": user_of(outsider, active=False), "access": "read_only"}, "user_id"),
                        ({"user": user_of(outsider), "access": "owner"}, "access")):
        with pytest.raises(InvalidInput) as refused:
            team.put_member(uow(), rep, customer["id"], body)
        assert field in refused.value.errors
    assert team.list_members(uow(), rep, customer["id"]) == []


def test_a_transfer_may_keep_the_old_owner_on_the_team(uow, rep, manager, other_rep, customer, user_of, emitted):
    ownership.assign(uow(), manager, customer["id"], {"owner": user_of(other_rep),
                                                      "keep_previous_owner": "read_only", "carry_related": True})
    assert [(m["user_id"], m["access"]) for m in team.list_members(uow(), manager, customer["id"])] == [
        (rep.user_id, "read_only")]
    assert profile.get(uow(), rep, customer["id"])["owner_id"] == other_rep.user_id
    with pytest.raises(Forbidden):
        customers.update(uow(), rep, customer["id"], {"city": "杭州"})
    [(_, event)] = emitted("customers.owner_changed")
    assert (event["previous_owner_access"], event["carry_related"]) == ("read_only", True)
    # back to the rep: the owner needs no membership, and a plain transfer keeps nobody
    ownership.assign(uow(), manager, customer["id"], {"owner": user_of(rep)})
    assert team.list_members(uow(), manager, customer["id"]) == []


def test_a_transfer_of_all_keeps_each_old_owner(uow, rep, manager, other_rep, new_customer, user_of):
    first, second = new_customer(name="甲公司"), new_customer(name="乙公司")
    moved = ownership.transfer_all(uow(), manager, {"from": user_of(rep), "to": user_of(other_rep),
                                                    "keep_previous_owner": "read_write"})
    assert moved["moved"] == 2
    for customer in (first, second):
        assert [m["access"] for m in team.list_members(uow(), rep, customer["id"])] == ["read_write"]
    assert customers.update(uow(), rep, first["id"], {"city": "杭州"})["city"] == "杭州市"
