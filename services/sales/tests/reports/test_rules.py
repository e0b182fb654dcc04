"""What sales events add to the report rollups (pure rules)."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from crm_common.report_figures import STANDING
from crm_sales.reports import rules

OWNER = "11111111-1111-1111-1111-111111111111"
OTHER = "22222222-2222-2222-2222-222222222222"
UTC = timezone.utc


@pytest.fixture(autouse=True)
def beijing(monkeypatch):
    monkeypatch.setenv("CRM_TIMEZONE", "Asia/Shanghai")


def facts(stage="s1", status="open", amount="1000.00", probability="30", owner=OWNER, dept="/d1/"):
    return {"stage_id": stage, "status": status, "expected_amount": Decimal(amount), "currency": "CNY",
            "probability": Decimal(probability), "owner_id": owner, "department_path": dept, "branch": "SH"}


def changed(before, after, created=datetime(2026, 3, 31, 23, 30, tzinfo=UTC), at=None):
    return {"before": before, "after": after, "created_at": created, "changed_at": at or created}


def by_metric(deltas):
    return {(d.metric, d.key, d.owner_id): d for d in deltas}


def test_a_new_opportunity_enters_the_pipeline_and_counts_as_new_on_the_branch_day():
    deltas = by_metric(rules.opportunity_changed(changed(None, facts())))
    pipeline = deltas[("pipeline", "s1", OWNER)]
    assert (pipeline.day, pipeline.count, pipeline.amount, pipeline.weighted) == (
        STANDING, 1, Decimal("1000.00"), Decimal("300.00"))
    created = deltas[("opportunities.created", "", OWNER)]
    # 23:30 UTC on 31 March is 1 April in Beijing: April's new opportunity
    assert (created.day, created.count, created.amount) == (date(2026, 4, 1), 1, Decimal("1000.00"))


def test_a_move_takes_from_one_stage_and_adds_to_the_next():
    deltas = by_metric(rules.opportunity_changed(changed(facts("s1"), facts("s2", probability="60"))))
    assert deltas[("pipeline", "s1", OWNER)].count == -1
    assert deltas[("pipeline", "s1", OWNER)].weighted == Decimal("-300.00")
    assert deltas[("pipeline", "s2", OWNER)].weighted == Decimal("600.00")
    assert len(deltas) == 2  # no new opportunity, nothing closed


def test_an_edit_of_the_amount_within_the_stage_nets_to_the_difference():
    [delta] = rules.opportunity_changed(changed(facts(amount="1000.00"), facts(amount="1500.00")))
    assert (delta.count, delta.amount, delta.weighted) == (0, Decimal("500.00"), Decimal("150.00"))


def test_a_change_of_hands_moves_the_figures_to_the_new_owner():
    deltas = by_metric(rules.opportunity_changed(changed(facts(), facts(owner=OTHER, dept="/d2/"))))
    assert deltas[("pipeline", "s1", OWNER)].count == -1
    assert deltas[("pipeline", "s1", OTHER)].count == 1
    assert deltas[("pipeline", "s1", OTHER)].department_path == "/d2/"


def test_winning_leaves_the_pipeline_and_counts_the_cycle_in_branch_days():
    created = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 1 April, 07:30 in Beijing
    won_at = datetime(2026, 4, 10, 16, 30, tzinfo=UTC)  # 11 April, 00:30 in Beijing
    deltas = by_metric(rules.opportunity_changed(changed(
        facts(), facts("w", status="won", probability="100"), created, won_at)))
    assert deltas[("pipeline", "s1", OWNER)].count == -1
    closed = deltas[("opportunities.closed", "won", OWNER)]
    assert (closed.day, closed.count, closed.days) == (date(2026, 4, 11), 1, Decimal(10))
    assert ("pipeline", "w", OWNER) not in deltas  # won ones are no longer open


def test_losing_counts_as_lost():
    deltas = by_metric(rules.opportunity_changed(changed(facts(), facts("l", status="lost", probability="0"))))
    assert deltas[("opportunities.closed", "lost", OWNER)].count == 1


def test_a_sample_order_is_no_sale_and_a_sale_counts_per_product():
    order = {"order_type": "sale", "approved_at": datetime(2026, 6, 30, 16, 0, tzinfo=UTC), "owner_id": OWNER,
             "department_path": "/d1/", "branch": "SH", "currency": "CNY", "total": Decimal("300.00"),
             "lines": [{"product_id": "p1", "amount": Decimal("100.00"), "quantity": Decimal("1")},
                       {"product_id": "p1", "amount": Decimal("200.00"), "quantity": Decimal("2")}]}
    deltas = by_metric(rules.order_approved(order, datetime(2026, 7, 2, tzinfo=UTC)))
    sold = deltas[("orders.sold", "", OWNER)]
    assert (sold.day, sold.amount) == (date(2026, 7, 1), Decimal("300.00"))  # 16:00 UTC is July in Beijing
    product = deltas[("products.sold", "p1", OWNER)]
    assert (product.count, product.quantity, product.amount) == (2, Decimal("3"), Decimal("300.00"))
    assert rules.order_approved({**order, "order_type": "sample"}, datetime(2026, 7, 2, tzinfo=UTC)) == []


def test_an_older_approval_without_its_instant_counts_on_the_day_it_was_sent():
    order = {"owner_id": OWNER, "department_path": "/d1/", "branch": "SH", "currency": "CNY",
             "total": Decimal("1.00"), "lines": []}
    [sold] = rules.order_approved(order, datetime(2026, 1, 1, 15, 59, tzinfo=UTC))
    assert sold.day == date(2026, 1, 1)


def test_win_rate_and_average():
    assert rules.win_rate(1, 3) == Decimal("25.00")
    assert rules.win_rate(0, 0) is None
    assert rules.average(Decimal(25), 2) == Decimal("12.5")
    assert rules.average(0, 0) is None
