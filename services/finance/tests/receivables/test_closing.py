"""An order that ends before everything shipped: the receivable becomes the shipped value
(logistics.fulfilment_closed), once, with the reason shown and what is owed back opened."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from crm_common.errors import Conflict, InvalidInput
from crm_finance.db import today
from crm_finance.dunning import use_cases as dunning
from crm_finance.invoicing import use_cases as invoicing
from crm_finance.invoicing.models import OrderLine
from crm_finance.payments import queries as payments
from crm_finance.receivables import handlers, queries, use_cases

PERMISSIONS = {"receivables.read", "receivables.write", "receipts.read", "receipts.write", "invoices.write",
               "invoices.read", "payments.read"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


@pytest.fixture
def close(uow, delivered):
    """Deliver logistics.fulfilment_closed for the receivable's order: `shipped` per line of 4 ordered."""
    def close_(receivable, shipped, reason="客户撤单"):
        with uow() as unit:
            lines = unit.session.execute(select(OrderLine).where(OrderLine.order_id == receivable["order_id"])
                                         .order_by(OrderLine.position)).scalars().all()
        data = delivered("logistics.fulfilment_closed", {
            "fulfilment_id": receivable["fulfilment_id"], "order_id": receivable["order_id"],
            "order_number": receivable["order_number"], "customer_id": receivable["customer_id"], "reason": reason,
            "lines": [{"order_line_id": line.id, "ordered": "4", "shipped": str(quantity),
                       "released": str(4 - quantity)} for line, quantity in zip(lines, shipped, strict=True)],
            "owner_id": receivable["owner_id"], "department_path": receivable["department_path"],
            "branch": receivable["branch"]})
        with uow() as unit:
            handlers.reduce_for_closing(unit, data)
        return data
    return close_


def pay(uow, clerk, receivable, amount):
    return use_cases.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": amount,
                                                   "method": "bank_transfer"})


def test_one_of_four_shipped_leaves_a_quarter_owed_with_the_reason(uow, clerk, open_receivable, close, emitted):
    receivable = open_receivable(clerk, lines=("600.00", "400.00"))
    close(receivable, shipped=(1, 0))
    after = queries.get(uow(), clerk, receivable["id"])
    assert (after["amount"], after["original_amount"], after["outstanding"], after["status"]) == \
        ("150.00", "1000.00", "150.00", "open")
    assert after["closed_reason"] == "客户撤单" and after["refund_due"] == "0.00"
    [(_, event)] = emitted("finance.receivable_reduced")
    assert (event["amount"], event["original_amount"], event["reason"]) == ("150.00", "1000.00", "客户撤单")
    with pytest.raises(InvalidInput):  # nothing beyond what was shipped is billed
        invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "150.01"})
    assert invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "150.00"})["amount"] == \
        "150.00"


def test_nothing_shipped_cancels_the_receivable_and_dunning_leaves_it_alone(uow, clerk, open_receivable, close,
                                                                           emitted):
    receivable = open_receivable(clerk, terms=0)
    close(receivable, shipped=(0, 0))
    after = queries.get(uow(), clerk, receivable["id"])
    assert (after["amount"], after["status"], after["outstanding"]) == ("0.00", "cancelled", "0.00")
    assert dunning.run(uow, today() + timedelta(days=5))["reminded"] == 0
    assert queries.list_(uow(), clerk, {"overdue": True})["items"] == []


def test_a_redelivered_or_second_closing_changes_nothing(uow, clerk, open_receivable, close, emitted):
    receivable = open_receivable(clerk)
    close(receivable, shipped=(1, 0))
    close(receivable, shipped=(4, 4), reason="again")
    after = queries.get(uow(), clerk, receivable["id"])
    assert (after["amount"], after["closed_reason"]) == ("150.00", "客户撤单")
    assert len(emitted("finance.receivable_reduced")) == 1


def test_received_beyond_the_shipped_value_opens_a_refund_and_freezes_its_receipts(uow, clerk, open_receivable,
                                                                                   close):
    receivable = open_receivable(clerk)
    receipt = pay(uow, clerk, receivable, "400.00")
    close(receivable, shipped=(2, 0))  # 300.00 shipped, 400.00 received
    after = queries.get(uow(), clerk, receivable["id"])
    assert (after["amount"], after["received"], after["refund_due"], after["status"]) == \
        ("300.00", "400.00", "100.00", "paid")
    [refund] = payments.list_(uow(), clerk, {"kind": "closing_refund"})["items"]
    assert (refund["amount"], refund["status"], refund["order_id"]) == ("100.00", "pending", receivable["order_id"])
    with pytest.raises(InvalidInput):
        pay(uow, clerk, receivable, "0.01")
    with pytest.raises(Conflict):
        use_cases.reverse_receipt(uow(), clerk, receipt["id"], {"reason": "退票"})


def test_invoiced_beyond_the_shipped_value_is_a_red_invoice_due(uow, clerk, open_receivable, close):
    receivable = open_receivable(clerk)
    invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "500.00"})
    close(receivable, shipped=(1, 1))  # 150 + 100 shipped
    after = queries.get(uow(), clerk, receivable["id"])
    assert (after["amount"], after["invoiced"], after["red_invoice_due"]) == ("250.00", "500.00", "250.00")


def test_the_closing_waits_for_the_receivable_it_cuts(uow, clerk, delivered):
    data = delivered("logistics.fulfilment_closed", {
        "fulfilment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "order_number": "SO-1",
        "customer_id": str(uuid.uuid4()), "reason": "x", "lines": [], "owner_id": clerk.user_id,
        "department_path": clerk.department_path, "branch": clerk.branch})
    with pytest.raises(handlers.ReceivableNotOpenYet), uow() as unit:
        handlers.reduce_for_closing(unit, data)


def test_a_payment_plan_is_cut_to_the_shipped_value(uow, clerk, open_receivable, close):
    receivable = open_receivable(clerk)
    day = today()
    use_cases.set_plan(uow(), clerk, receivable["id"], {"instalments": [
        {"due_date": (day + timedelta(days=10)).isoformat(), "amount": "100.00"},
        {"due_date": (day + timedelta(days=20)).isoformat(), "amount": "900.00"}]})
    close(receivable, shipped=(1, 0))
    plan = queries.get_plan(uow(), clerk, receivable["id"])
    assert [i["amount"] for i in plan["instalments"]] == ["100.00", "50.00"]
