"""The sales reports through their use cases: what the pipeline, orders and contracts do, relayed
from the outbox to the reports' handlers (as the broker would), then read back within scope."""
from datetime import datetime, timezone

import pytest

from crm_common import rollups
from crm_common.errors import BadRequest, Forbidden
from crm_common.testing import deliver, outbox_envelopes
from crm_sales.contracts import use_cases as contracts
from crm_sales.orders import use_cases as orders
from crm_sales.pipeline import use_cases as pipeline
from crm_sales.planning import use_cases as planning
from crm_sales.reports import handlers, queries

HANDLERS = {"sales.opportunity_changed": handlers.opportunity_changed,
            "sales.order_approved": handlers.order_approved,
            "sales.contract_signed": handlers.contract_signed}
UTC = timezone.utc


def relay(uow) -> int:
    """Every report event in the outbox to its handler; what was delivered before is skipped."""
    return sum(deliver(uow, HANDLERS[body["name"]], body) for body in outbox_envelopes(uow)
               if body["name"] in HANDLERS)


@pytest.fixture
def stages(uow, principal_factory):
    admin = principal_factory(permissions={"opportunities.admin"})

    def stage(name, position, probability, outcome="open"):
        return pipeline.create_stage(uow(), admin, {"name": name, "position": position,
                                                    "probability": probability, "outcome": outcome})
    return {"lead": stage("初步接洽", 1, "10"), "offer": stage("方案报价", 2, "50"),
            "won": stage("赢单", 9, "100", "won"), "lost": stage("输单", 10, "0", "lost")}


def _opportunity(uow, who, customers, customer, stage, amount="100000.00"):
    return pipeline.create(uow(), who, {"customer_id": customer["id"], "title": "50台打印机", "stage_id": stage["id"],
                                        "expected_amount": amount, "expected_close_date": "2027-01-31"}, customers)


def _sell(uow, rep, approver, customers, customer, product, quantity="1"):
    order = orders.create(uow(), rep, {"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": quantity}]}, customers)
    orders.submit(uow(), rep, order["id"], None)
    return orders.approve(uow(), approver, order["id"], None)


def test_the_funnel_shows_open_opportunities_by_stage_with_the_weighted_forecast(
        uow, rep, customers, customer, stages):
    first = _opportunity(uow, rep, customers, customer, stages["lead"])
    _opportunity(uow, rep, customers, customer, stages["lead"], "50000.00")
    pipeline.move(uow(), rep, first["id"], {"stage_id": stages["offer"]["id"]})
    relay(uow)
    report = queries.funnel(uow(), rep, {})
    by_name = {s["name"]: (s["count"], s["amount"], s["weighted"]) for s in report["stages"]}
    assert by_name == {"初步接洽": (1, "50000.00", "5000.00"), "方案报价": (1, "100000.00", "50000.00")}
    assert report["totals"] == {"count": 2, "amount": "150000.00", "weighted": "55000.00"}


def test_a_redelivered_event_adds_nothing_a_second_time(uow, rep, customers, customer, stages):
    _opportunity(uow, rep, customers, customer, stages["lead"])
    assert relay(uow) == 1
    assert relay(uow) == 0  # the broker delivered everything again: each event id was seen
    assert queries.funnel(uow(), rep, {})["totals"]["count"] == 1


def test_win_rate_and_deal_cycle_per_branch_month(uow, rep, customers, customer, stages, clock):
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=UTC))  # 1 April, 07:30 in Beijing
    won = _opportunity(uow, rep, customers, customer, stages["lead"])
    lost = _opportunity(uow, rep, customers, customer, stages["lead"], "10.00")
    clock.set(datetime(2026, 4, 10, 16, 30, tzinfo=UTC))  # 11 April, 00:30 in Beijing
    pipeline.win(uow(), rep, won["id"], {"reason": "价格合适"})
    pipeline.lose(uow(), rep, lost["id"], {"reason": "预算不足"})
    relay(uow)
    report = queries.opportunities(uow(), rep, {"period": "month"})
    assert report["zone"] == "Asia/Shanghai"
    [april] = report["items"]
    assert april["period"] == "2026-04-01"
    assert (april["created"], april["won"], april["lost"], april["win_rate"], april["average_cycle_days"]) == (
        2, 1, 1, "50.00", "10.0")
    assert queries.funnel(uow(), rep, {})["totals"]["count"] == 0  # closed ones left the funnel
    # days that are not whole months read the day rows: only the closing day
    [day] = queries.opportunities(uow(), rep, {"period": "month", "since": "2026-04-11", "until": "2026-04-11"})["items"]
    assert (day["created"], day["won"], day["lost"]) == (0, 1, 1)


def test_partial_months_at_both_ends_answer_what_the_day_rows_alone_answered(
        uow, rep, customers, customer, stages, clock, monkeypatch):
    """Whole months inside the range come from the month rows, the partial edges from the day
    rows (rollups.spans): the same figures the day rows alone gave, in the branch's days."""
    def at(*when):
        clock.set(datetime(*when, tzinfo=UTC))
    made = []
    for when in [(2026, 1, 10, 4), (2026, 1, 20, 4), (2026, 1, 31, 16, 30),  # 1 February in Beijing
                 (2026, 2, 15, 4), (2026, 3, 31, 16, 30),  # 1 April in Beijing
                 (2026, 4, 10, 15, 59), (2026, 4, 10, 16, 30)]:  # 23:59 on the 10th; the 11th
        at(*when)
        made.append(_opportunity(uow, rep, customers, customer, stages["lead"]))
    at(2026, 1, 25, 4)
    pipeline.win(uow(), rep, made[0]["id"], {"reason": "价格合适"})
    at(2026, 3, 3, 4)
    pipeline.lose(uow(), rep, made[1]["id"], {"reason": "预算不足"})
    at(2026, 4, 10, 15, 0)
    pipeline.win(uow(), rep, made[2]["id"], {"reason": "价格合适"})
    at(2026, 4, 10, 17, 0)  # the 11th in Beijing: after the range
    pipeline.win(uow(), rep, made[3]["id"], {"reason": "价格合适"})
    relay(uow)
    questions = [{"period": period, "since": "2026-01-15", "until": "2026-04-10"} for period in ("month", "quarter", "year")]
    questions += [{"period": "month", "since": "2026-01-15"}, {"period": "month", "until": "2026-04-10"},
                  {"period": "month", "since": "2026-01-31", "until": "2026-02-01"}]
    now = [queries.opportunities(uow(), rep, q) for q in questions]
    monkeypatch.setattr(rollups, "spans", lambda since, until: [("day", since, until)])  # the day rows alone
    before = [queries.opportunities(uow(), rep, q) for q in questions]
    assert now == before
    by_month = {i["period"]: (i["created"], i["won"], i["lost"]) for i in now[0]["items"]}
    assert by_month == {"2026-01-01": (1, 1, 0), "2026-02-01": (2, 0, 0), "2026-03-01": (0, 0, 1),
                        "2026-04-01": (2, 1, 0)}
    assert [(i["period"], i["created"]) for i in now[1]["items"]] == [("2026-01-01", 3), ("2026-04-01", 2)]
    assert now[3]["totals"]["created"] == 6 and now[4]["totals"]["created"] == 6
    assert now[5]["totals"]["created"] == 1  # the one of 1 February, 00:30 in Beijing


def test_a_rep_sees_their_own_figures_and_the_manager_the_departments(
        uow, rep, approver, principal_factory, customers, customer, stages):
    colleague = principal_factory(permissions=rep.permissions, scope="own")
    elsewhere = principal_factory(permissions=rep.permissions, scope="own", department_path="/d2/")
    _opportunity(uow, rep, customers, customer, stages["lead"])
    _opportunity(uow, colleague, customers, customer, stages["lead"])
    _opportunity(uow, elsewhere, customers, customer, stages["lead"])
    relay(uow)
    assert queries.funnel(uow(), rep, {})["totals"]["count"] == 1
    assert queries.funnel(uow(), approver, {})["totals"]["count"] == 2  # /d1/ only
    assert queries.funnel(uow(), approver, {"owner_id": colleague.user_id})["totals"]["count"] == 1
    # asking for someone outside the scope shows nothing of theirs
    assert queries.funnel(uow(), rep, {"owner_id": colleague.user_id})["totals"]["count"] == 0


def test_sold_amounts_products_ranking_and_target_completion(
        uow, rep, approver, customers, customer, product, clock):
    clock.set(datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 1 July, 00:30 in Beijing: the third quarter
    target = planning.create_target(uow(), approver, {"subject": "department", "department_path": "/d1/",
                                                      "period": "2026-Q3", "amount": "7998.00"})
    _sell(uow, rep, approver, customers, customer, product, "2")
    relay(uow)
    amounts = queries.amounts(uow(), rep, {"period": "quarter"})
    assert [(i["period"], i["orders"], i["order_amount"]) for i in amounts["items"]] == [("2026-07-01", 1, "3999.00")]
    [ranked] = queries.ranking(uow(), approver, {"by": "order_amount"})["items"]
    assert (ranked["rank"], ranked["owner_id"], ranked["amount"]) == (1, rep.user_id, "3999.00")
    [sold] = queries.products(uow(), rep, {})["items"]
    assert (sold["name"], sold["quantity"], sold["amount"]) == ("打印机", "2.000", "3999.00")
    [done] = queries.targets(uow(), approver, {"period": "2026-Q3"})["items"]
    assert (done["target_id"], done["achieved"], done["progress_percent"]) == (target["id"], "3999.00", "50.0")
    assert queries.targets(uow(), approver, {"period": "2026-Q2"})["items"] == []


def test_a_signed_contract_counts_on_its_signing_day(uow, rep, approver, customers, customer, clock):
    clock.set(datetime(2026, 12, 31, 16, 0, tzinfo=UTC))  # 2027 in Beijing
    contract = contracts.create(uow(), rep, {
        "kind": "service", "title": "年度维保", "customer_id": customer["id"], "start_date": "2027-01-01",
        "end_date": "2027-12-31", "amount": "12000.00",
        "commission_split": [{"user_id": rep.user_id, "percent": "100"}]}, customers)
    contracts.submit(uow(), rep, contract["id"])
    contracts.approve(uow(), approver, contract["id"], {})
    relay(uow)
    report = queries.amounts(uow(), approver, {"period": "year"})
    assert [(i["period"], i["contracts"], i["contract_amount"]) for i in report["items"]] == [
        ("2027-01-01", 1, "12000.00")]
    [ranked] = queries.ranking(uow(), approver, {"by": "contract_amount"})["items"]
    assert ranked["amount"] == "12000.00"


def test_the_export_page_carries_the_reports_rows(uow, rep, customers, customer, stages):
    _opportunity(uow, rep, customers, customer, stages["lead"])
    relay(uow)
    page = queries.export(uow(), rep, "funnel", {"format": "xlsx"})
    assert [c["label"] for c in page["columns"]] == ["阶段", "商机数", "预计金额", "加权金额"]
    assert ["初步接洽", "1", "100000.00", "10000.00"] in page["rows"]


def test_bad_questions_and_missing_permissions_are_refused(uow, rep, principal_factory):
    with pytest.raises(BadRequest):
        queries.opportunities(uow(), rep, {"period": "week"})
    with pytest.raises(BadRequest):
        queries.ranking(uow(), rep, {"by": "owner_id; drop table"})
    with pytest.raises(Forbidden):
        queries.funnel(uow(), principal_factory(permissions={"orders.read"}), {})
