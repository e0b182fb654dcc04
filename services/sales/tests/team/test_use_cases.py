"""Team members of opportunities and contracts (issue 17) through the use cases, and what a
customer's transfer carries along (fake customers, no broker)."""
from datetime import timedelta

import pytest

from crm_common import teams
from crm_common.errors import Forbidden, NotFound
from crm_sales.contracts import queries as contract_queries, use_cases as contracts
from crm_sales.db import TEAM
from crm_sales.pipeline import queries as pipeline_queries, use_cases as pipeline
from crm_sales.team import use_cases as team
from crm_common.branch_time import current_day  # the suite's days are Beijing's

TODAY = current_day()


@pytest.fixture
def other(principal_factory, rep):
    """A rep of another department: no scope over the rep's records."""
    return principal_factory(permissions=rep.permissions, scope="own", department_path="/d9/")


@pytest.fixture
def opportunity(uow, rep, customers, customer, principal_factory):
    admin = principal_factory(permissions={"opportunities.admin"})
    stage = pipeline.create_stage(uow(), admin, {"name": "初步接洽", "position": 1, "probability": "10"})
    return pipeline.create(uow(), rep, {"customer_id": customer["id"], "title": "50台打印机", "stage_id": stage["id"],
                                        "expected_amount": "100000.00",
                                        "expected_close_date": (TODAY + timedelta(days=60)).isoformat()}, customers)


@pytest.fixture
def contract(uow, rep, customers, customer):
    return contracts.create(uow(), rep, {
        "customer_id": customer["id"], "kind": "service", "title": "年度维保", "start_date": TODAY.isoformat(),
        "end_date": (TODAY + timedelta(days=365)).isoformat(), "amount": "12000.00",
        "commission_split": [{"user_id": rep.user_id, "percent": "100"}]}, customers)


def user(principal) -> dict:
    return {"id": principal.user_id, "department_path": principal.department_path, "branch": principal.branch,
            "active": True}


def test_an_opportunity_s_member_sees_it_and_edits_it_only_with_read_write(uow, rep, other, opportunity):
    with pytest.raises(NotFound):
        pipeline_queries.get(uow(), other, opportunity["id"])
    team.put_member(uow(), rep, "opportunity", opportunity["id"], {"user": user(other), "access": "read_only"})
    assert pipeline_queries.get(uow(), other, opportunity["id"])["id"] == opportunity["id"]
    assert [o["id"] for o in pipeline_queries.list_(uow(), other, {})["items"]] == [opportunity["id"]]
    with pytest.raises(Forbidden):
        pipeline.update(uow(), other, opportunity["id"], {"title": "60台打印机"})
    with pytest.raises(Forbidden):  # a member does not choose the team
        team.put_member(uow(), other, "opportunity", opportunity["id"], {"user": user(other), "access": "read_write"})
    team.put_member(uow(), rep, "opportunity", opportunity["id"], {"user": user(other), "access": "read_write"})
    assert pipeline.update(uow(), other, opportunity["id"], {"title": "60台打印机"})["title"] == "60台打印机"
    assert [o["id"] for o in pipeline_queries.list_(uow(), rep, {})["items"]] == [opportunity["id"]]


def test_a_contract_s_member_sees_it_until_removed(uow, rep, other, contract):
    team.put_member(uow(), rep, "contract", contract["id"], {"user": user(other), "access": "read_only"})
    assert contract_queries.get(uow(), other, contract["id"])["id"] == contract["id"]
    assert [c["id"] for c in contract_queries.list_(uow(), other, {})["items"]] == [contract["id"]]
    assert [m["user_id"] for m in team.list_members(uow(), other, "contract", contract["id"])] == [other.user_id]
    team.remove_member(uow(), rep, "contract", contract["id"], other.user_id)
    with pytest.raises(NotFound):
        contract_queries.get(uow(), other, contract["id"])
    assert contract_queries.list_(uow(), other, {})["items"] == []


def test_a_transfer_carries_the_old_owner_s_records_and_keeps_them_on_the_team(
        uow, rep, other, customer, opportunity, contract):
    changed = {"customer_id": customer["id"], "previous_owner_id": rep.user_id, "owner_id": other.user_id,
               "department_path": other.department_path, "branch": other.branch, "changed_by": rep.user_id,
               "previous_owner_access": "read_only", "carry_related": True, "in_pool": False}
    with uow() as unit:
        assert teams.carry_along(unit.session, TEAM, team.carried, changed) == {"opportunity": 1, "contract": 1}
    assert pipeline_queries.get(uow(), other, opportunity["id"])["owner_id"] == other.user_id
    assert contract_queries.get(uow(), other, contract["id"])["owner_id"] == other.user_id
    assert pipeline_queries.get(uow(), rep, opportunity["id"])["id"] == opportunity["id"]  # a member now
    with pytest.raises(Forbidden):
        pipeline.update(uow(), rep, opportunity["id"], {"title": "改"})
    with uow() as unit:  # again (a second transfer event): nothing of the old owner's is left to move
        assert teams.carry_along(unit.session, TEAM, team.carried, changed) == {"opportunity": 0, "contract": 0}
