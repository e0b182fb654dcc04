"""The business diary and work plans through their use cases: the author writes, the manager reads."""
import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_workspace.diary import queries, use_cases

USE = {"diary.use"}


@pytest.fixture
def rep(principal_factory):
    return principal_factory(permissions=USE, scope="own", department_path="/hq/sales/east/")


@pytest.fixture
def manager(principal_factory):
    return principal_factory(permissions=USE, scope="subtree", department_path="/hq/sales/")


def entry(uow, who, day="2026-03-11", **extra):
    return use_cases.create_entry(uow(), who, {"entry_date": day, "title": "拜访天马", "content": "谈续约", **extra})


def plan(uow, who, period="weekly", day="2026-03-12"):
    return use_cases.create_plan(uow(), who, {"period": period, "day": day, "title": "本周计划", "content": "三家客户"})


def test_the_manager_reads_a_diary_the_author_alone_edits(uow, rep, manager):
    written = entry(uow, rep)
    assert queries.get_entry(uow(), manager, written["id"])["title"] == "拜访天马"
    with pytest.raises(NotFound):
        use_cases.update_entry(uow(), manager, written["id"], {"title": "改"})
    assert use_cases.update_entry(uow(), rep, written["id"], {"title": "拜访天马（二）"})["title"] == "拜访天马（二）"


def test_a_colleague_outside_the_scope_does_not_see_it(uow, rep, principal_factory):
    written = entry(uow, rep)
    colleague = principal_factory(permissions=USE, scope="own", department_path="/hq/sales/east/")
    with pytest.raises(NotFound):
        queries.get_entry(uow(), colleague, written["id"])
    assert queries.list_entries(uow(), colleague, {})["items"] == []


def test_entries_filter_by_dates_and_owner(uow, rep, manager):
    entry(uow, rep, "2026-03-01")
    late = entry(uow, rep, "2026-03-20")
    entry(uow, manager, "2026-03-20")
    listed = queries.list_entries(uow(), manager, {"date_from": "2026-03-10", "owner_id": rep.user_id})["items"]
    assert [e["id"] for e in listed] == [late["id"]]
    assert len(queries.list_entries(uow(), manager, {"date_to": "2026-03-31"})["items"]) == 3


@pytest.mark.parametrize("period, start", [("daily", "2026-03-12"), ("weekly", "2026-03-09"),
                                           ("monthly", "2026-03-01")])
def test_a_plan_starts_on_the_first_day_of_its_period(uow, rep, period, start):
    assert plan(uow, rep, period)["period_start"] == start


def test_work_records_go_on_the_authors_own_plan_oldest_first(uow, rep, manager):
    made = plan(uow, rep)
    assert made["records"] == []
    use_cases.add_record(uow(), rep, made["id"], {"content": "拜访了天马"})
    use_cases.add_record(uow(), rep, made["id"], {"content": "报价已发"})
    with pytest.raises(NotFound):
        use_cases.add_record(uow(), manager, made["id"], {"content": "manager's note"})
    detail = queries.get_plan(uow(), manager, made["id"])
    assert [r["content"] for r in detail["records"]] == ["拜访了天马", "报价已发"]


def test_plans_list_by_period(uow, rep):
    weekly, _ = plan(uow, rep), plan(uow, rep, "monthly")
    assert [p["id"] for p in queries.list_plans(uow(), rep, {"period": "weekly"})["items"]] == [weekly["id"]]


def test_bad_input_is_refused_and_nothing_is_written(uow, rep):
    with pytest.raises(InvalidInput):
        entry(uow, rep, day="not a date")
    with pytest.raises(InvalidInput):
        entry(uow, rep, owner_id=rep.user_id)
    with pytest.raises(InvalidInput):
        plan(uow, rep, period="yearly")
    assert queries.list_entries(uow(), rep, {})["items"] == []
    assert queries.list_plans(uow(), rep, {})["items"] == []


def test_the_diary_needs_its_permission(uow, principal_factory):
    with pytest.raises(Forbidden):
        entry(uow, principal_factory(permissions=set()))
