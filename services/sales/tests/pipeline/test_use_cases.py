"""The pipeline through its use cases on the sales database alone (fake customers, no broker)."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_sales.pipeline import queries, use_cases
from crm_common.branch_time import current_day  # the suite's days are Beijing's

CLOSE = (current_day() + timedelta(days=60)).isoformat()


@pytest.fixture
def admin(principal_factory):
    return principal_factory(permissions={"opportunities.admin", "opportunities.read"})


@pytest.fixture
def stages(uow, admin):
    def stage(name, position, probability, outcome="open", **extra):
        return use_cases.create_stage(uow(), admin, {"name": name, "position": position, "probability": probability,
                                                     "outcome": outcome, **extra})
    return {"lead": stage("初步接洽", 1, "10"), "offer": stage("方案报价", 2, "50"),
            "won": stage("赢单", 9, "100", "won"), "lost": stage("输单", 10, "0", "lost")}


@pytest.fixture
def opportunity(uow, rep, customers, customer, stages):
    return use_cases.create(uow(), rep, {"customer_id": customer["id"], "title": "50台打印机",
                                         "stage_id": stages["lead"]["id"], "expected_amount": "100000.00",
                                         "expected_close_date": CLOSE}, customers)


def test_an_opportunity_starts_in_an_open_stage_with_its_probability(opportunity, stages, customer):
    assert (opportunity["status"], opportunity["probability"], opportunity["customer_name"]) == (
        "open", "10.00", customer["name"])


def test_stages_are_listed_in_position_order_and_names_are_unique(uow, rep, admin, stages):
    assert [s["name"] for s in queries.list_stages(uow(), rep, None)["items"]] == ["初步接洽", "方案报价", "赢单", "输单"]
    with pytest.raises(Conflict):
        use_cases.create_stage(uow(), admin, {"name": "赢单", "position": 3, "probability": "1"})
    updated = use_cases.update_stage(uow(), admin, stages["offer"]["id"], {"probability": "60"})
    assert Decimal(updated["probability"]) == Decimal("60")


def test_configuring_stages_needs_the_admin_permission(uow, rep, admin):
    with pytest.raises(Forbidden):
        use_cases.create_stage(uow(), rep, {"name": "x", "position": 1, "probability": "1"})
    with pytest.raises(NotFound):
        use_cases.update_stage(uow(), admin, str(uuid.uuid4()), {"probability": "1"})


@pytest.mark.parametrize("stage", ["won", "unknown"])
def test_an_opportunity_cannot_start_closed_or_in_no_stage(uow, rep, customers, customer, stages, stage):
    stage_id = stages[stage]["id"] if stage in stages else str(uuid.uuid4())
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), rep, {"customer_id": customer["id"], "title": "t", "stage_id": stage_id,
                                      "expected_amount": "1.00", "expected_close_date": CLOSE}, customers)
    assert "stage_id" in refused.value.errors
    assert queries.list_(uow(), rep, {})["items"] == []


def test_moving_takes_the_stages_probability_unless_one_is_given(uow, rep, opportunity, stages):
    moved = use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["offer"]["id"]})
    assert (moved["stage_id"], moved["probability"]) == (stages["offer"]["id"], "50.00")
    moved = use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["lead"]["id"], "probability": "33"})
    assert Decimal(moved["probability"]) == Decimal("33")
    with pytest.raises(InvalidInput):
        use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["won"]["id"]})


def test_a_won_opportunity_stays_won(uow, rep, opportunity, stages):
    won = use_cases.win(uow(), rep, opportunity["id"], {"reason": "价格优势"})
    assert (won["status"], won["probability"], won["stage_id"], won["close_reason"]) == (
        "won", "100.00", stages["won"]["id"], "价格优势")
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.lose(uow(), rep, opportunity["id"], {"reason": "changed my mind"})
    assert refused.value.errors == {"status": ["won"], "allowed_actions": []}
    with pytest.raises(Conflict):
        use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["offer"]["id"]})


def test_a_lost_opportunity_needs_a_reason(uow, rep, opportunity):
    with pytest.raises(InvalidInput):
        use_cases.lose(uow(), rep, opportunity["id"], {})
    lost = use_cases.lose(uow(), rep, opportunity["id"], {"reason": "预算取消"})
    assert (lost["status"], lost["probability"]) == ("lost", "0.00")


def test_another_reps_opportunity_is_not_found(uow, rep, principal_factory, opportunity):
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, opportunity["id"])
    with pytest.raises(NotFound):
        use_cases.win(uow(), other, opportunity["id"], {"reason": "mine now"})


def test_the_forecast_weighs_open_opportunities_by_probability(uow, rep, opportunity, customers, customer, stages):
    use_cases.create(uow(), rep, {"customer_id": customer["id"], "title": "second", "stage_id": stages["offer"]["id"],
                                  "expected_amount": "20000.00", "expected_close_date": CLOSE}, customers)
    (group,) = queries.forecast(uow(), rep, {"group_by": "owner"})["items"]
    assert (group["key"], group["count"], group["expected_total"], group["weighted_total"]) == (
        rep.user_id, 2, "120000.00", "20000.00")
    assert queries.forecast(uow(), rep, {"group_by": "month", "currency": "USD"})["items"] == []


def test_competitors_are_shared_knowledge_with_activities_and_quotes(uow, rep, principal_factory, opportunity):
    competitor = use_cases.create_competitor(uow(), rep, {"name": "惠普", "products": [
        {"name": "LaserJet", "price": "1800.00"}]})
    assert competitor["products"] == [{"name": "LaserJet", "price": "1800.00"}]
    with pytest.raises(Conflict):
        use_cases.create_competitor(uow(), rep, {"name": "惠普"})
    use_cases.add_competitor_activity(uow(), rep, competitor["id"], {"happened_on": current_day().isoformat(),
                                                                     "description": "降价促销"})
    reader = principal_factory(permissions={"opportunities.read"}, scope="own")
    assert [a["description"] for a in queries.get_competitor(uow(), reader, competitor["id"])["activities"]] == [
        "降价促销"]
    quoted = use_cases.add_competitor_quote(uow(), rep, opportunity["id"], {"competitor_id": competitor["id"],
                                                                            "amount": "95000.00"})
    assert quoted["competitor_quotes"][0]["amount"] == "95000.00"
    assert [c["name"] for c in queries.list_competitors(uow(), reader, {"name": "惠"})["items"]] == ["惠普"]


def test_a_quote_of_an_unknown_competitor_is_invalid_input(uow, rep, opportunity):
    with pytest.raises(InvalidInput):
        use_cases.add_competitor_quote(uow(), rep, opportunity["id"], {"competitor_id": str(uuid.uuid4()),
                                                                       "amount": "1.00"})
    assert queries.get(uow(), rep, opportunity["id"])["competitor_quotes"] == []


def test_an_unknown_competitor_is_not_found(uow, rep):
    with pytest.raises(NotFound):
        use_cases.update_competitor(uow(), rep, str(uuid.uuid4()), {"profile": "x"})


def test_every_stage_an_opportunity_enters_is_a_stay_in_its_history(uow, rep, opportunity, stages, principal_factory):
    use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["offer"]["id"]})
    use_cases.move(uow(), rep, opportunity["id"], {"stage_id": stages["offer"]["id"]})  # no change, no stay
    use_cases.win(uow(), rep, opportunity["id"], {"reason": "价格合适"})
    history = queries.stage_history(uow(), rep, opportunity["id"])
    assert [s["stage_name"] for s in history["items"]] == ["初步接洽", "方案报价", "赢单"]
    assert [s["left_at"] is None for s in history["items"]] == [False, False, True]
    assert all(s["seconds"] >= 0 for s in history["items"])
    assert [s["stage_name"] for s in history["by_stage"]] == ["初步接洽", "方案报价", "赢单"]
    with pytest.raises(NotFound):  # someone else's opportunity, as if it did not exist
        queries.stage_history(uow(), principal_factory(permissions={"opportunities.read"}, scope="own"),
                              opportunity["id"])


def test_a_star_is_the_callers_own_and_filters_their_list(uow, rep, opportunity, customers, customer, stages,
                                                          principal_factory):
    other = use_cases.create(uow(), rep, {"customer_id": customer["id"], "title": "另一个", "expected_amount": "1.00",
                                          "stage_id": stages["lead"]["id"], "expected_close_date": CLOSE}, customers)
    assert use_cases.set_star(uow(), rep, opportunity["id"], True) == {"id": opportunity["id"], "starred": True}
    use_cases.set_star(uow(), rep, opportunity["id"], True)  # twice is one star
    listed = queries.list_(uow(), rep, {"starred": "true"})["items"]
    assert [(o["id"], o["starred"]) for o in listed] == [(opportunity["id"], True)]
    assert {o["id"] for o in queries.list_(uow(), rep, {"starred": "false"})["items"]} == {other["id"]}
    colleague = principal_factory(permissions={"opportunities.read"}, scope="branch")
    assert queries.list_(uow(), colleague, {"starred": "true"})["items"] == []  # stars are personal
    assert all(not o["starred"] for o in queries.list_(uow(), colleague, {})["items"])
    with pytest.raises(NotFound):
        use_cases.set_star(uow(), principal_factory(permissions={"opportunities.read"}, scope="own"),
                           opportunity["id"], True)
    use_cases.set_star(uow(), rep, opportunity["id"], False)
    assert queries.list_(uow(), rep, {"starred": "true"})["items"] == []
