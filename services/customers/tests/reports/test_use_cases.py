"""Customer statistics, always over the caller's scope only."""
import pytest

from crm_common.errors import BadRequest, InvalidInput
from crm_customers.customers import use_cases as customers
from crm_customers.reports import queries

PICKS = {"industry": {}, "customer_source": {}, "value_level": {"a": "A 重点客户 Key", "b": "B 主要客户 Major"}}


def test_counts_by_a_dimension_cover_only_the_callers_customers(uow, rep, other_rep, new_customer):
    new_customer("甲", value_level="a")
    new_customer("乙", value_level="a")
    new_customer("丙", value_level="b")
    new_customer("别人的", value_level="a", who=other_rep)
    stats = queries.count(uow(), rep, {"by": "value_level"})
    assert stats["by"] == "value_level"
    assert [(i["key"], i["count"]) for i in stats["items"]] == [("a", 2), ("b", 1)]


def test_a_second_spelling_cannot_split_a_bucket(uow, rep):
    """Buckets are dictionary codes: "A" or "A 重点客户" for the level a is refused, not counted apart."""
    customers.create(uow(), rep, {"name": "甲", "value_level": "a"}, PICKS)
    for spelling in ("A", "A 重点客户 Key", "a "):
        with pytest.raises(InvalidInput):
            customers.create(uow(), rep, {"name": f"乙{spelling}", "value_level": spelling}, PICKS)
    assert [(i["key"], i["count"]) for i in queries.count(uow(), rep, {"by": "value_level"})["items"]] == [("a", 1)]


def test_the_monthly_trend_comes_from_the_rollup_or_the_filtered_table(uow, rep, new_customer):
    new_customer("甲", city="上海")
    new_customer("乙", city="北京")
    [month] = queries.count(uow(), rep, {"by": "month"})["items"]
    assert month["count"] == 2
    [shanghai] = queries.count(uow(), rep, {"by": "month", "city": "上海"})["items"]
    assert shanghai["count"] == 1 and shanghai["period"] == month["period"]


def test_regions_join_province_and_city(uow, rep, new_customer):
    new_customer("甲", province="浙江", city="杭州")
    assert queries.count(uow(), rep, {"by": "region"})["items"][0]["key"] == "浙江省/杭州市"


def test_an_unknown_dimension_is_a_bad_request(uow, rep):
    for query in ({"by": "owner"}, {}, {"by": "month", "since": "last year"}):
        with pytest.raises(BadRequest):
            queries.count(uow(), rep, query)
