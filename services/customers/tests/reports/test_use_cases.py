"""Customer statistics, always over the caller's scope only."""
import pytest

from crm_common.errors import BadRequest
from crm_customers.reports import queries


def test_counts_by_a_dimension_cover_only_the_callers_customers(uow, rep, other_rep, new_customer):
    new_customer("甲", value_level="A")
    new_customer("乙", value_level="A")
    new_customer("丙", value_level="B")
    new_customer("别人的", value_level="A", who=other_rep)
    stats = queries.count(uow(), rep, {"by": "value_level"})
    assert stats["by"] == "value_level"
    assert [(i["key"], i["count"]) for i in stats["items"]] == [("A", 2), ("B", 1)]


def test_the_monthly_trend_comes_from_the_rollup_or_the_filtered_table(uow, rep, new_customer):
    new_customer("甲", city="上海")
    new_customer("乙", city="北京")
    [month] = queries.count(uow(), rep, {"by": "month"})["items"]
    assert month["count"] == 2
    [shanghai] = queries.count(uow(), rep, {"by": "month", "city": "上海"})["items"]
    assert shanghai["count"] == 1 and shanghai["period"] == month["period"]


def test_regions_join_province_and_city(uow, rep, new_customer):
    new_customer("甲", province="浙江", city="杭州")
    assert queries.count(uow(), rep, {"by": "region"})["items"][0]["key"] == "浙江/杭州"


def test_an_unknown_dimension_is_a_bad_request(uow, rep):
    for query in ({"by": "owner"}, {}, {"by": "month", "since": "last year"}):
        with pytest.raises(BadRequest):
            queries.count(uow(), rep, query)
