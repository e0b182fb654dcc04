"""The customers' side of a department move: its own rows follow in the same transaction that
emits `customers.department_moved`; a move under itself is refused and changes nothing."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput
from crm_customers.customers import use_cases as customers
from crm_customers.customers.models import Customer
from crm_customers.housekeeping import use_cases

ROOT, EAST, WEST, TEAM, SUB = (str(uuid.uuid4()) for _ in range(5))
OLD, NEW = f"/{ROOT}/{EAST}/{TEAM}/", f"/{ROOT}/{WEST}/{TEAM}/"


def _move(**overrides):
    return {"department_id": str(uuid.uuid4()), "parent_id": str(uuid.uuid4()), "from_path": OLD,
            "to_path": NEW, "branch": "HQ", **overrides}


def test_a_move_rewrites_the_customers_paths_and_tells_the_other_services(uow, principal_factory, emitted):
    rep = principal_factory(permissions={"customers.read", "customers.write"}, scope="own", department_path=f"{OLD}{SUB}/")
    moved = customers.create(uow(), rep, {"name": "宁波调动测试客户"})
    admin = principal_factory(permissions={"admin.departments", "customers.read"}, scope="branch")
    answer = use_cases.move_department(uow(), admin, _move())
    assert answer["customers"] >= 1 and (answer["from_path"], answer["to_path"]) == (OLD, NEW)
    with uow() as unit:
        assert unit.session.get(Customer, moved["id"]).department_path == f"{NEW}{SUB}/"
    [(_, data)] = emitted("customers.department_moved")
    assert (data["from_path"], data["to_path"], data["moved_by"]) == (OLD, NEW, admin.user_id)


def test_a_move_under_itself_is_refused_and_one_without_the_permission_forbidden(uow, principal_factory, emitted):
    admin = principal_factory(permissions={"admin.departments"}, scope="branch")
    with pytest.raises(InvalidInput) as refused:
        use_cases.move_department(uow(), admin, _move(to_path=f"{OLD}{SUB}/{TEAM}/"))
    assert "parent_id" in refused.value.errors
    with pytest.raises(InvalidInput):
        use_cases.move_department(uow(), principal_factory(permissions={"admin.departments"}, scope="branch",
                                                           branch="BJ"), _move())
    with pytest.raises(Forbidden):
        use_cases.move_department(uow(), principal_factory(permissions={"customers.read"}, scope="all"), _move())
    assert emitted("customers.department_moved") == []
