"""The finance reports on the finance database alone."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_common.errors import BadRequest, Forbidden, NotFound
from crm_finance.db import today
from crm_finance.dunning import use_cases as dunning
from crm_finance.invoicing import use_cases as invoices
from crm_finance.receivables import use_cases as receipts
from crm_finance.reports import queries

PERMISSIONS = {"finance.reports", "receivables.read", "receipts.write", "invoices.write"}


@pytest.fixture
def analyst(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


def pay(uow, who, receivable, amount):
    return receipts.create_receipt(uow(), who, {"receivable_id": receivable["id"], "amount": amount,
                                                "method": "cash"})


def test_ageing_puts_what_is_owed_in_buckets_per_currency(uow, analyst, open_receivable):
    open_receivable(analyst, terms=60)
    late = open_receivable(analyst, terms=0, lines=("300.00",))
    pay(uow, analyst, late, "100.00")
    open_receivable(analyst, terms=0, currency="USD", lines=("50.00",))
    report = queries.ageing(uow(), analyst, {"as_of": (today() + timedelta(days=40)).isoformat()})
    cny = report["currencies"]["CNY"]
    assert cny["current"] == {"count": 1, "outstanding": "1000.00"}
    assert cny["31-60"] == {"count": 1, "outstanding": "200.00"} and cny["0-30"]["count"] == 0
    assert cny["overdue_total"] == "200.00" and report["currencies"]["USD"]["overdue_total"] == "50.00"


def test_ageing_leaves_out_what_is_paid_and_what_others_own(uow, analyst, open_receivable, principal_factory):
    paid = open_receivable(analyst, lines=("5.00",))
    pay(uow, analyst, paid, "5.00")
    open_receivable(principal_factory(permissions={"receivables.read"}, scope="own"))
    assert queries.ageing(uow(), analyst, {})["currencies"] == {}


def test_ageing_for_one_customer(uow, analyst, open_receivable):
    mine = open_receivable(analyst)
    open_receivable(analyst)
    report = queries.ageing(uow(), analyst, {"customer_id": mine["customer_id"]})
    assert report["currencies"]["CNY"]["current"]["count"] == 1


def test_the_statement_totals_a_customers_debts_receipts_and_invoices(uow, analyst, open_receivable):
    receivable = open_receivable(analyst, terms=0)
    receipt = pay(uow, analyst, receivable, "400.00")
    receipts.reverse_receipt(uow(), analyst, receipt["id"], {"reason": "退票"})
    pay(uow, analyst, receivable, "250.00")
    invoices.create(uow(), analyst, {"order_id": receivable["order_id"], "amount": "113.00"})
    statement = queries.statement(uow(), analyst, receivable["customer_id"],
                                  {"as_of": (today() + timedelta(days=1)).isoformat()})
    assert statement["totals"]["CNY"] == {
        "receivables": 1, "amount": "1000.00", "received": "250.00", "outstanding": "750.00", "invoiced": "113.00",
        "not_invoiced": "887.00", "arrears": "750.00", "reversed": "400.00"}
    assert len(statement["receipts"]) == 2 and len(statement["invoices"]) == 1
    assert "lines" not in statement["invoices"][0]


def test_nothing_is_due_yet_on_the_day_it_opens(uow, analyst, open_receivable):
    receivable = open_receivable(analyst, terms=10)
    totals = queries.statement(uow(), analyst, receivable["customer_id"], {})["totals"]["CNY"]
    assert totals["arrears"] == "0.00" and totals["reversed"] == "0.00"


def test_a_customer_out_of_scope_has_an_empty_statement(uow, analyst, open_receivable, principal_factory):
    receivable = open_receivable(analyst)
    other = principal_factory(permissions=PERMISSIONS, scope="own")
    statement = queries.statement(uow(), other, receivable["customer_id"], {})
    assert statement["totals"] == {} and statement["receivables"] == []


def test_a_malformed_customer_id_is_not_found(uow, analyst):
    with pytest.raises(NotFound):
        queries.statement(uow(), analyst, "not-a-uuid", {})


def test_reports_need_the_permission_and_a_valid_query(uow, analyst, principal_factory):
    with pytest.raises(Forbidden):
        queries.ageing(uow(), principal_factory(permissions={"receivables.read"}, scope="all"), {})
    with pytest.raises(BadRequest):
        queries.ageing(uow(), analyst, {"as_of": "soon"})
    with pytest.raises(BadRequest):
        queries.statement(uow(), analyst, str(uuid.uuid4()), {"limit": "5"})


def test_ageing_and_dunning_count_beijing_days(uow, analyst, open_receivable, clock):
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # opened on 1 December in Beijing, due then
    open_receivable(analyst, terms=0)
    clock.set(datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc))  # 23:30 in Beijing: not a day late yet
    assert queries.ageing(uow(), analyst, {})["currencies"]["CNY"]["current"]["count"] == 1
    assert dunning.run(uow)["reminded"] == 0
    clock.set(datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc))  # 2 December, 00:30 in Beijing
    assert queries.ageing(uow(), analyst, {})["currencies"]["CNY"]["0-30"]["count"] == 1
    assert dunning.run(uow)["reminded"] == 1
