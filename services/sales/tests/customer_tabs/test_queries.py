"""The customer detail's sales tab counts: each list as the caller pages it, capped, one statement."""
from datetime import timedelta

import pytest

from crm_common.errors import NotFound
from crm_sales.customer_tabs import queries
from crm_sales.pipeline import queries as pipeline
from crm_sales.pipeline import use_cases as opportunities
from crm_common.branch_time import current_day  # the suite's days are Beijing's


@pytest.fixture
def stage(uow, principal_factory):
    admin = principal_factory(permissions={"opportunities.admin", "opportunities.read"})
    return opportunities.create_stage(uow(), admin, {"name": "初步接洽", "position": 1, "probability": "10"})


def test_the_counts_follow_the_callers_scope_and_permissions(uow, rep, principal_factory, customers, customer, stage):
    for title in ("50台打印机", "年度耗材"):
        opportunities.create(uow(), rep, {"customer_id": customer["id"], "title": title, "stage_id": stage["id"],
                                          "expected_amount": "100.00",
                                          "expected_close_date": (current_day() + timedelta(days=30)).isoformat()},
                             customers)
    counts = queries.tab_counts(uow(), rep, customer["id"], {})
    listed = pipeline.list_(uow(), rep, {"customer_id": customer["id"]})
    assert counts["opportunities"] == {"count": len(listed["items"]), "more": False} == {"count": 2, "more": False}
    assert counts["orders"] == counts["quotes"] == counts["contracts"] == {"count": 0, "more": False}
    assert queries.tab_counts(uow(), rep, customer["id"], {"limit": 1})["opportunities"] == {"count": 1, "more": True}
    # another rep sees none of them; a caller without orders.read gets no order counts at all
    other = principal_factory(permissions={"opportunities.read"}, scope="own")
    assert queries.tab_counts(uow(), other, customer["id"], {}) == {
        "opportunities": {"count": 0, "more": False}, "quotes": None, "orders": None, "contracts": None}
    with pytest.raises(NotFound):
        queries.tab_counts(uow(), rep, "not-an-id", {})
