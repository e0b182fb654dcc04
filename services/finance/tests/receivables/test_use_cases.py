"""Receivables, payment plans and receipts through their use cases on the finance database alone."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_common.testing import nobody_approves
from crm_finance.banking import queries as banking_queries
from crm_finance.banking import use_cases as banking
from crm_finance.db import today
from crm_finance.receivables import handlers, queries, use_cases

PERMISSIONS = {"receivables.read", "receivables.write", "receipts.read", "receipts.write",
               "bank_accounts.read", "bank_accounts.write"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


def pay(uow, clerk, receivable, amount, **extra):
    return use_cases.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": amount,
                                                   "method": "bank_transfer", **extra})


def test_a_shipment_allowed_opens_what_the_customer_owes(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk, terms=30)
    assert (receivable["amount"], receivable["outstanding"], receivable["status"]) == ("1000.00", "1000.00", "open")
    assert receivable["due_date"] == (today() + timedelta(days=30)).isoformat()
    [(_, data)] = emitted("finance.receivable_opened")
    assert data["receivable_id"] == receivable["id"] and data["amount"] == "1000.00"


def test_the_same_order_opens_one_receivable(uow, clerk, open_receivable, delivered, emitted):
    receivable = open_receivable(clerk)
    again = delivered("logistics.shipment_allowed", {
        "fulfilment_id": str(uuid.uuid4()), "order_id": receivable["order_id"], "order_number": "SO-X",
        "customer_id": receivable["customer_id"], "total": "5.00", "currency": "CNY", "payment_terms_days": 0,
        "owner_id": clerk.user_id, "department_path": clerk.department_path, "branch": clerk.branch})
    with uow() as unit:
        handlers.open_for_shipment(unit, again)
    assert len(queries.list_(uow(), clerk, {})["items"]) == 1 and len(emitted("finance.receivable_opened")) == 1


def test_a_free_order_is_paid_from_the_start(uow, clerk, open_receivable):
    assert open_receivable(clerk, lines=("0.00",))["status"] == "paid"


def test_receipts_pay_part_then_all_and_tell_sales(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "300.50", reference="网银")
    assert receipt["number"].startswith("RC-HQ-") and receipt["reversed"] is False
    assert queries.get(uow(), clerk, receivable["id"])["status"] == "partially_paid"
    pay(uow, clerk, receivable, "699.50")
    detail = queries.get(uow(), clerk, receivable["id"])
    assert (detail["status"], detail["outstanding"], len(detail["receipts"])) == ("paid", "0.00", 2)
    assert [data["amount"] for _, data in emitted("finance.receipt_recorded")] == ["300.50", "699.50"]


def test_more_than_outstanding_is_invalid_and_nothing_is_written(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    pay(uow, clerk, receivable, "999.99")
    with pytest.raises(InvalidInput) as refused:
        pay(uow, clerk, receivable, "0.02")
    assert refused.value.errors == {"amount": ["Exceeds the outstanding 0.01."]}
    assert queries.get(uow(), clerk, receivable["id"])["received"] == "999.99"
    assert len(emitted("finance.receipt_recorded")) == 1


def test_a_receipt_in_another_currency_is_refused(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    with pytest.raises(InvalidInput) as refused:
        pay(uow, clerk, receivable, "1.00", currency="USD")
    assert refused.value.errors == {"currency": ["Must be CNY."]}


def test_another_owners_receivable_is_not_found(uow, clerk, open_receivable, principal_factory):
    receivable = open_receivable(clerk)
    other = principal_factory(permissions=PERMISSIONS, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, receivable["id"])
    with pytest.raises(NotFound):
        pay(uow, other, receivable, "1.00")
    with pytest.raises(NotFound):
        use_cases.set_plan(uow(), other, receivable["id"], {"instalments": [{"due_date": "2027-01-01",
                                                                            "amount": "1000.00"}]})
    assert queries.list_receipts(uow(), other, {})["items"] == []


def test_recording_a_receipt_needs_the_permission(uow, clerk, open_receivable, principal_factory):
    receivable = open_receivable(clerk)
    with pytest.raises(Forbidden):
        pay(uow, principal_factory(permissions={"receipts.read", "receivables.read"}, scope="all"), receivable, "1")


def test_a_receipt_into_a_bank_account_books_an_entry(uow, clerk, open_receivable):
    account = banking.create(uow(), clerk, {"name": "基本户", "bank_name": "招商银行", "account_no": "6225-1",
                                            "currency": "CNY"})
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "250.00", bank_account_id=account["id"])
    entries = banking_queries.entries(uow(), clerk, account["id"], {})
    assert entries["balance"] == "250.00"
    assert [(e["kind"], e["amount"], e["source_id"]) for e in entries["items"]] == [("receipt", "250.00", receipt["id"])]


@pytest.mark.parametrize("currency", ["USD", None])
def test_an_unknown_or_foreign_bank_account_is_invalid_and_nothing_is_written(uow, clerk, open_receivable, currency):
    account_id = banking.create(uow(), clerk, {"name": "美元户", "bank_name": "中国银行", "account_no": "USD-1",
                                               "currency": currency})["id"] if currency else str(uuid.uuid4())
    receivable = open_receivable(clerk)
    with pytest.raises(InvalidInput) as refused:
        pay(uow, clerk, receivable, "1.00", bank_account_id=account_id)
    assert list(refused.value.errors) == ["bank_account_id"]
    assert queries.get(uow(), clerk, receivable["id"])["received"] == "0.00"


def test_a_reversal_gives_the_amount_back_and_unbooks_it(uow, clerk, open_receivable, emitted):
    account = banking.create(uow(), clerk, {"name": "基本户", "bank_name": "工商银行", "account_no": "6222-1",
                                            "currency": "CNY"})
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "1000.00", bank_account_id=account["id"])
    reversed_ = use_cases.reverse_receipt(uow(), clerk, receipt["id"], {"reason": "退票"})
    assert reversed_["reversed"] is True and reversed_["reversal_number"].startswith("RV-HQ-")
    assert queries.get(uow(), clerk, receivable["id"])["status"] == "open"
    assert banking_queries.get(uow(), clerk, account["id"])["balance"] == "0.00"
    [(_, data)] = emitted("finance.receipt_reversed")
    assert data["receipt_id"] == receipt["id"] and data["reversal_id"]


def test_a_receipt_is_reversed_once(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "10.00")
    use_cases.reverse_receipt(uow(), clerk, receipt["id"], {"reason": "错录"})
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.reverse_receipt(uow(), clerk, receipt["id"], {"reason": "again"})
    assert refused.value.errors == {"status": ["reversed"], "allowed_actions": []}
    assert queries.get(uow(), clerk, receivable["id"])["received"] == "0.00"


def test_a_reversal_needs_a_reason(uow, clerk, open_receivable):
    receipt = pay(uow, clerk, open_receivable(clerk), "10.00")
    with pytest.raises(InvalidInput):
        use_cases.reverse_receipt(uow(), clerk, receipt["id"], {"reason": ""})
    assert queries.get_receipt(uow(), clerk, receipt["id"], nobody_approves)["reversed"] is False


def test_a_plan_moves_the_due_date_to_the_first_unpaid_instalment(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    first, second = today() + timedelta(days=10), today() + timedelta(days=40)
    plan = use_cases.set_plan(uow(), clerk, receivable["id"], {"instalments": [
        {"due_date": first.isoformat(), "amount": "400.00"}, {"due_date": second.isoformat(), "amount": "600.00"}]})
    assert plan["due_date"] == first.isoformat()
    assert [(i["amount"], i["status"]) for i in plan["instalments"]] == [("400.00", "open"), ("600.00", "open")]
    pay(uow, clerk, receivable, "450.00")
    plan = queries.get_plan(uow(), clerk, receivable["id"])
    assert plan["due_date"] == second.isoformat()
    assert [(i["paid"], i["status"]) for i in plan["instalments"]] == [("400.00", "paid"), ("50.00", "open")]


def test_an_instalment_past_its_date_is_overdue(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    plan = use_cases.set_plan(uow(), clerk, receivable["id"], {"instalments": [
        {"due_date": (today() - timedelta(days=400)).isoformat(), "amount": "1000.00"}]})
    assert plan["instalments"][0]["status"] == "overdue"


def test_a_plan_that_does_not_add_up_is_invalid_and_keeps_the_old_one(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    use_cases.set_plan(uow(), clerk, receivable["id"], {"instalments": [{"due_date": "2027-01-01",
                                                                        "amount": "1000.00"}]})
    with pytest.raises(InvalidInput) as refused:
        use_cases.set_plan(uow(), clerk, receivable["id"], {"instalments": [
            {"due_date": "2027-01-01", "amount": "500.00"}, {"due_date": "2027-02-01", "amount": "499.99"}]})
    assert "instalments" in refused.value.errors
    assert [i["due_date"] for i in queries.get_plan(uow(), clerk, receivable["id"])["instalments"]] == ["2027-01-01"]


def test_receivables_are_listed_by_status(uow, clerk, open_receivable):
    paid = open_receivable(clerk, lines=("10.00",))
    pay(uow, clerk, paid, "10.00")
    open_receivable(clerk)
    assert [item["id"] for item in queries.list_(uow(), clerk, {"status": "paid"})["items"]] == [paid["id"]]
    assert len(queries.list_receipts(uow(), clerk, {"receivable_id": paid["id"]})["items"]) == 1


def test_a_receivable_opened_at_2330_utc_is_dated_and_due_by_the_beijing_day(uow, clerk, open_receivable, clock):
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc))  # 1 December, 07:30 in Beijing
    receivable = open_receivable(clerk, terms=0)
    assert receivable["due_date"] == "2026-12-01"
    assert pay(uow, clerk, receivable, "1.00")["received_on"] == "2026-12-01"
    clock.set(datetime(2026, 12, 1, 15, 59, tzinfo=timezone.utc))  # still 1 December in Beijing: not overdue
    assert queries.list_(uow(), clerk, {"overdue": True})["items"] == []
    clock.set(datetime(2026, 12, 1, 16, 0, tzinfo=timezone.utc))  # 2 December in Beijing
    assert [r["id"] for r in queries.list_(uow(), clerk, {"overdue": True})["items"]] == [receivable["id"]]


def test_numbers_take_the_beijing_year(uow, clerk, open_receivable, clock):
    receivable = open_receivable(clerk)
    clock.set(datetime(2026, 12, 31, 16, 30, tzinfo=timezone.utc))  # 1 January 2027, 00:30 in Beijing
    assert pay(uow, clerk, receivable, "1.00")["number"].startswith("RC-HQ-2027-")
