"""The report pack's finance figures (issue 17): receipts and invoices relayed from the outbox to
the reports' handlers as the broker would, then read back per branch period within scope."""
from datetime import datetime, timezone

import pytest

from crm_common.errors import BadRequest, Forbidden
from crm_common.testing import deliver, outbox_envelopes
from crm_finance.invoicing import use_cases as invoicing
from crm_finance.receivables import use_cases as receivables
from crm_finance.reports import handlers, queries

HANDLERS = {"finance.receipt_recorded": handlers.receipt_recorded,
            "finance.receipt_reversed": handlers.receipt_reversed,
            "finance.invoice_issued": handlers.invoice_issued,
            "finance.invoice_reversed": handlers.invoice_reversed}
PERMISSIONS = {"receivables.read", "receipts.read", "receipts.write", "invoices.read", "invoices.write"}


def relay(uow) -> int:
    return sum(deliver(uow, HANDLERS[body["name"]], body) for body in outbox_envelopes(uow)
               if body["name"] in HANDLERS)


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


def pay(uow, clerk, receivable, amount):
    return receivables.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": amount,
                                                     "method": "bank_transfer"})


def test_received_and_invoiced_per_branch_month_with_the_gap(uow, clerk, open_receivable, clock):
    clock.set(datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))  # 1 April in Beijing
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "300.00")
    pay(uow, clerk, receivable, "200.00")
    invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "800.00"})
    receivables.reverse_receipt(uow(), clerk, receipt["id"], {"reason": "退票"})
    relay(uow)
    report = queries.receipts(uow(), clerk, {"period": "month"})
    assert report["zone"] == "Asia/Shanghai"
    [april] = report["items"]
    assert (april["period"], april["receipts"], april["received"], april["invoiced"], april["not_received"]) == (
        "2026-04-01", 1, "200.00", "800.00", "600.00")
    [ranked] = queries.receipt_ranking(uow(), clerk, {})["items"]
    assert (ranked["owner_id"], ranked["amount"]) == (clerk.user_id, "200.00")


def test_a_redelivered_receipt_adds_nothing_a_second_time(uow, clerk, open_receivable):
    pay(uow, clerk, open_receivable(clerk), "100.00")
    assert relay(uow) == 1
    assert relay(uow) == 0
    assert queries.receipts(uow(), clerk, {"period": "year"})["totals"]["received"] == "100.00"


def test_another_reps_receipts_are_not_in_a_reps_report(uow, clerk, open_receivable, principal_factory):
    other = principal_factory(permissions=PERMISSIONS, scope="own")
    pay(uow, other, open_receivable(other), "100.00")
    manager = principal_factory(permissions=PERMISSIONS, scope="department")
    relay(uow)
    assert queries.receipts(uow(), clerk, {})["items"] == []
    assert queries.receipts(uow(), manager, {})["totals"]["received"] == "100.00"


def test_the_export_page_and_refusals(uow, clerk, open_receivable, principal_factory):
    pay(uow, clerk, open_receivable(clerk), "100.00")
    relay(uow)
    page = queries.export(uow(), clerk, "receipts", {"period": "year", "format": "csv"})
    assert page["columns"][2]["label"] == "回款金额" and page["rows"][0][2] == "100.00"
    with pytest.raises(BadRequest):
        queries.receipts(uow(), clerk, {"period": "fortnight"})
    with pytest.raises(Forbidden):
        queries.receipts(uow(), principal_factory(permissions={"orders.read"}), {})
