import os

os.environ.setdefault("CRM_SECRET_KEY", "unit-test-key")

import pytest  # noqa: E402

from crm_common.errors import BadRequest, Unavailable  # noqa: E402
from crm_gateway.fanout import decode, each_branch, encode, merge  # noqa: E402


def item(i, created):
    return {"id": f"00000000-0000-0000-0000-00000000000{i}", "created_at": created}


def test_merge_takes_the_smallest_heads_and_keeps_each_branch_in_order():
    pages = {"SH": [item(1, "2026-01-03"), item(2, "2026-01-01")], "BJ": [item(3, "2026-01-02")]}
    items, taken = merge(pages, "-created_at", 2)
    assert [i["created_at"] for i in items] == ["2026-01-03", "2026-01-02"]
    assert taken == {"SH": 1, "BJ": 1}


def test_merge_compares_decimal_strings_as_numbers():
    pages = {"SH": [{"id": "a", "total": "9.50"}], "BJ": [{"id": "b", "total": "10.00"}]}
    items, _ = merge(pages, "total", 2)
    assert [i["total"] for i in items] == ["9.50", "10.00"]


def test_merge_never_reorders_within_a_branch_even_if_the_key_disagrees():
    # PostgreSQL's collation may order names differently from Python: the branch's order wins,
    # so what is taken from a branch is always a prefix of its page.
    pages = {"SH": [{"id": "1", "name": "b"}, {"id": "2", "name": "a"}], "BJ": []}
    items, taken = merge(pages, "name", 1)
    assert items == [{"id": "1", "name": "b"}] and taken == {"SH": 1, "BJ": 0}


def test_cursor_round_trip_and_tampering():
    cursor = encode({"SH": "abc", "BJ": "done"})
    assert decode(cursor, ["SH", "BJ"]) == {"SH": "abc", "BJ": "done"}
    with pytest.raises(BadRequest):
        decode(cursor[:-2] + "00", ["SH", "BJ"])
    with pytest.raises(BadRequest):
        decode(cursor, ["SH"])  # a branch this gateway does not know


def test_reports_come_back_per_branch_and_a_silent_branch_is_named():
    def call(branch, query):
        if branch == "BJ":
            raise Unavailable("Beijing did not answer")
        return {"total": 3, "asked": query}

    assert each_branch(["SH", "BJ"], call, {"by": "region"}) == {
        "branches": {"SH": {"total": 3, "asked": {"by": "region"}}}, "missing_branches": ["BJ"]}


def test_a_report_query_refused_by_a_branch_is_refused_for_head_office():
    def call(branch, query):
        raise BadRequest("Invalid query parameters", {"by": ["Missing data for required field."]})

    with pytest.raises(BadRequest):
        each_branch(["SH", "BJ"], call, {})
