"""Places typed by people resolve to one region code (crm_common.regions)."""
import pytest

from crm_common import regions


@pytest.mark.parametrize("typed, codes", [
    (("北京", None, None), ("110000", None, None)),
    (("北京市", "北京", None), ("110000", "110100", None)),
    ((None, "北京", None), ("110000", "110100", None)),  # a municipality's one city, by its name
    (("浙江", "杭州", "西湖区"), ("330000", "330100", "330106")),
    (("浙江省", "杭州市", "西湖区"), ("330000", "330100", "330106")),
    ((None, "杭州", None), ("330000", "330100", None)),
    (("330000", "330100", "330106"), ("330000", "330100", "330106")),
    (("广西", "南宁", None), ("450000", "450100", None)),
    (("北京", None, "朝阳区"), ("110000", "110100", "110105")),  # a skipped level
])
def test_names_and_codes_resolve_to_the_same_codes(typed, codes):
    assert tuple(regions.resolve(*typed).values()) == codes


@pytest.mark.parametrize("typed, level", [
    (("浙江", "南京", None), "city"), (("火星", None, None), "province"), ((None, None, "朝阳区"), "district"),
    (("浙江", "320100", None), "city")])
def test_what_is_no_region_or_lies_elsewhere_or_is_ambiguous_is_refused(typed, level):
    with pytest.raises(regions.Unresolved) as refused:
        regions.resolve(*typed)
    assert list(refused.value.errors) == [level]


def test_a_municipalitys_city_is_shown_by_its_name():
    assert regions.names(regions.resolve("上海", "上海", "黄浦区")) == {
        "province": "上海市", "city": "上海市", "district": "黄浦区"}
