"""The report pack's customer figures (issue 17): follow-ups by method, leads and conversion,
pool in/out and rankings, relayed from the outbox to the reports' handlers as the broker would."""
from datetime import datetime, timezone

import pytest

from crm_common.errors import BadRequest
from crm_common.testing import deliver, outbox_envelopes
from crm_customers.customers import use_cases as customers
from crm_customers.interactions import use_cases as interactions
from crm_customers.pool.use_cases import ownership
from crm_customers.reports import queries, use_cases as handlers

HANDLERS = {"customers.interaction_recorded": handlers.interaction_recorded,
            "customers.lead_created": handlers.lead_created,
            "customers.lead_converted": handlers.lead_converted,
            "customers.owner_changed": handlers.owner_changed}


def relay(uow) -> int:
    return sum(deliver(uow, HANDLERS[body["name"]], body) for body in outbox_envelopes(uow)
               if body["name"] in HANDLERS)


def follow_up(uow, who, customer, kind, at=None):
    return interactions.create(uow(), who, customer["id"], {"kind": kind, "summary": "聊了需求",
                                                            **({"occurred_at": at} if at else {})})


def test_follow_ups_by_method_per_branch_month_and_the_ranking(uow, rep, other_rep, new_customer):
    mine, theirs = new_customer("甲"), new_customer("乙", who=other_rep)
    follow_up(uow, rep, mine, "visit", "2026-03-31T23:30:00+00:00")  # 1 April in Beijing
    follow_up(uow, rep, mine, "call", "2026-04-02T02:00:00+00:00")
    follow_up(uow, other_rep, theirs, "call", "2026-04-02T02:00:00+00:00")
    relay(uow)
    report = queries.follow_ups(uow(), rep, {"period": "month"})
    assert [(i["period"], i["method"], i["count"]) for i in report["items"]] == [
        ("2026-04-01", "call", 1), ("2026-04-01", "visit", 1)]
    assert report["totals"] == {"call": 1, "visit": 1}
    assert queries.ranking(uow(), rep, {"by": "follow_ups"})["items"] == [
        {"rank": 1, "owner_id": rep.user_id, "count": 2}]


def test_leads_conversion_and_pool_in_and_out(uow, rep, clock):
    clock.set(datetime(2026, 6, 30, 16, 30, tzinfo=timezone.utc))  # 1 July in Beijing
    lead = customers.create_lead(uow(), rep, {"name": "线索公司", "confirm_duplicate": True})
    customers.create_lead(uow(), rep, {"name": "另一线索", "confirm_duplicate": True})
    customers.convert(uow(), rep, lead["id"], {})
    ownership.release(uow(), rep, lead["id"], {})
    ownership.claim(uow(), rep, lead["id"], {})
    relay(uow)
    [july] = queries.leads(uow(), rep, {"period": "quarter"})["items"]
    assert (july["period"], july["leads"], july["converted"], july["conversion_rate"], july["pool_in"],
            july["pool_out"]) == ("2026-07-01", 2, 1, "50.00", 1, 1)


def test_a_redelivered_follow_up_counts_once(uow, rep, customer):
    follow_up(uow, rep, customer, "visit")
    assert relay(uow) == 1
    assert relay(uow) == 0
    assert sum(queries.follow_ups(uow(), rep, {})["totals"].values()) == 1


def test_new_customers_ranking_reads_the_creation_rollup(uow, rep, other_rep, new_customer, admin):
    new_customer("甲")
    new_customer("乙")
    new_customer("丙", who=other_rep)
    ranked = queries.ranking(uow(), admin, {"by": "new_customers"})["items"]
    assert [(r["owner_id"], r["count"]) for r in ranked] == [(rep.user_id, 2), (other_rep.user_id, 1)]
    assert [r["owner_id"] for r in queries.ranking(uow(), rep, {"by": "new_customers"})["items"]] == [rep.user_id]


def test_the_export_page_and_a_bad_question(uow, rep, customer):
    follow_up(uow, rep, customer, "visit")
    relay(uow)
    page = queries.export(uow(), rep, "follow_ups", {"period": "year", "format": "xlsx"})
    assert page["columns"][1]["label"] == "跟进方式" and page["rows"][0][1:] == ["visit", "1"]
    with pytest.raises(BadRequest):
        queries.ranking(uow(), rep, {"by": "salary"})
