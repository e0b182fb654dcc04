"""Campaigns and targets through their use cases on the sales database alone (fake customers, no broker)."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_common import branch_time
from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_sales.orders import use_cases as orders
from crm_sales.planning import queries, use_cases

TODAY = branch_time.current_day()  # the branch's: the day targets, campaigns and orders are counted in


@pytest.fixture
def campaign(uow, rep):
    return use_cases.create_campaign(uow(), rep, {"name": "上海展会", "starts_on": (TODAY - timedelta(days=7)).isoformat(),
                                                  "ends_on": TODAY.isoformat(), "budget": "50000.00"})


def _sell(uow, rep, approver, customers, customer, product, quantity="1"):
    order = orders.create(uow(), rep, {"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": quantity}]}, customers)
    orders.submit(uow(), rep, order["id"], None)
    return orders.approve(uow(), approver, order["id"], None)


def test_a_campaign_collects_costs_tasks_and_leads(uow, rep, customers, customer, campaign):
    use_cases.add_cost(uow(), rep, campaign["id"], {"description": "展位", "amount": "30000.00",
                                                    "spent_on": TODAY.isoformat()})
    use_cases.add_task(uow(), rep, campaign["id"], {"title": "印资料", "assignee_id": rep.user_id})
    full = use_cases.add_lead(uow(), rep, campaign["id"], {"customer_id": customer["id"]}, customers)
    assert [c["amount"] for c in full["costs"]] == ["30000.00"]
    assert [(t["title"], t["done"]) for t in full["tasks"]] == [("印资料", False)]
    assert [lead["customer_name"] for lead in full["leads"]] == [customer["name"]]


def test_a_customer_is_a_lead_of_a_campaign_once(uow, rep, customers, customer, campaign):
    use_cases.add_lead(uow(), rep, campaign["id"], {"customer_id": customer["id"]}, customers)
    with pytest.raises(Conflict):
        use_cases.add_lead(uow(), rep, campaign["id"], {"customer_id": customer["id"]}, customers)
    assert len(queries.get_campaign(uow(), rep, campaign["id"])["leads"]) == 1


def test_an_unseen_customer_is_no_lead(uow, rep, customers, campaign):
    with pytest.raises(InvalidInput):
        use_cases.add_lead(uow(), rep, campaign["id"], {"customer_id": str(uuid.uuid4())}, customers)
    assert queries.get_campaign(uow(), rep, campaign["id"])["leads"] == []


def test_a_campaign_that_ends_before_it_starts_is_invalid_input(uow, rep):
    with pytest.raises(InvalidInput):
        use_cases.create_campaign(uow(), rep, {"name": "x", "starts_on": TODAY.isoformat(),
                                               "ends_on": (TODAY - timedelta(days=1)).isoformat(), "budget": "1.00"})
    assert queries.list_campaigns(uow(), rep, {})["items"] == []


def test_a_cost_must_be_positive(uow, rep, campaign):
    with pytest.raises(InvalidInput):
        use_cases.add_cost(uow(), rep, campaign["id"], {"description": "free", "amount": "0.00",
                                                        "spent_on": TODAY.isoformat()})
    assert queries.get_campaign(uow(), rep, campaign["id"])["costs"] == []


def test_the_report_counts_cost_per_lead_and_approved_sales_to_the_leads(
        uow, rep, approver, customers, customer, product, campaign):
    other = customers.add("北京远景科技")
    use_cases.add_cost(uow(), rep, campaign["id"], {"description": "展位", "amount": "100.00",
                                                    "spent_on": TODAY.isoformat()})
    for lead in (customer, other):
        use_cases.add_lead(uow(), rep, campaign["id"], {"customer_id": lead["id"]}, customers)
    _sell(uow, rep, approver, customers, customer, product)
    report = queries.campaign_report(uow(), rep, campaign["id"])
    assert (report["leads"], report["cost_per_lead"], report["orders"], report["sales"]) == (2, "50.00", 1, "1999.50")


def test_another_reps_campaign_is_not_found(uow, rep, principal_factory, campaign):
    other = principal_factory(permissions=rep.permissions, scope="own")
    with pytest.raises(NotFound):
        queries.campaign_report(uow(), other, campaign["id"])
    with pytest.raises(NotFound):
        use_cases.add_task(uow(), other, campaign["id"], {"title": "mine"})


def test_a_reps_target_progresses_with_their_approved_orders(uow, rep, approver, customers, customer, product):
    target = use_cases.create_target(uow(), rep, {"subject": "user", "user_id": rep.user_id, "department_path": "/d1/",
                                                  "period": str(TODAY.year), "amount": "3999.00"})
    assert (target["achieved"], target["progress_percent"]) == ("0.00", "0.0")
    _sell(uow, rep, approver, customers, customer, product)
    again = queries.get_target(uow(), rep, target["id"])
    assert (again["achieved"], again["progress_percent"]) == ("1999.50", "50.0")
    assert [t["id"] for t in queries.list_targets(uow(), rep, {"period": str(TODAY.year)})["items"]] == [target["id"]]


def test_a_department_target_counts_the_whole_department(uow, rep, approver, customers, customer, product):
    target = use_cases.create_target(uow(), approver, {"subject": "department", "department_path": "/d1/",
                                                       "period": f"{TODAY.year}-{TODAY.month:02d}",
                                                       "amount": "1999.50"})
    _sell(uow, rep, approver, customers, customer, product)
    assert queries.get_target(uow(), approver, target["id"])["progress_percent"] == "100.0"


def test_an_order_approved_at_0030_in_beijing_on_1_april_counts_in_the_second_quarter(
        uow, rep, approver, customers, customer, product, clock):
    targets = {period: use_cases.create_target(uow(), approver, {
        "subject": "department", "department_path": "/d1/", "period": period, "amount": "1999.50"})
        for period in ("2026-Q1", "2026-Q2")}
    clock.set(datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc))  # still 31 March in UTC
    _sell(uow, rep, approver, customers, customer, product)
    achieved = {p: queries.get_target(uow(), approver, t["id"])["achieved"] for p, t in targets.items()}
    assert achieved == {"2026-Q1": "0.00", "2026-Q2": "1999.50"}


def test_a_target_outside_the_setters_scope_is_refused_and_nothing_is_written(uow, rep):
    with pytest.raises(InvalidInput):
        use_cases.create_target(uow(), rep, {"subject": "department", "department_path": "/d1/",
                                             "period": str(TODAY.year), "amount": "1.00"})
    with pytest.raises(InvalidInput):
        use_cases.create_target(uow(), rep, {"subject": "user", "user_id": str(uuid.uuid4()),
                                             "department_path": "/d1/", "period": str(TODAY.year), "amount": "1.00"})
    assert queries.list_targets(uow(), rep, {})["items"] == []


def test_setting_targets_needs_its_permission(uow, principal_factory):
    reader = principal_factory(permissions={"orders.read"})
    with pytest.raises(Forbidden):
        use_cases.create_target(uow(), reader, {"subject": "department", "department_path": "/",
                                                "period": "2026", "amount": "1.00"})
