"""Advance receipts (预收款, issue 14): money against an order before approval, applied to the
receivable when it opens (once), given back when the order ends unapproved."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_finance.advances import handlers, queries, use_cases
from crm_finance.approvals import handlers as approvals
from crm_finance.banking import queries as banking_queries, use_cases as banking
from crm_finance.invoicing import handlers as invoicing
from crm_finance.payments import queries as payments, use_cases as paying
from crm_finance.receivables import handlers as receivables, queries as receivable_queries, use_cases as receipts
from crm_finance.reports import queries as reports

PERMISSIONS = {"receivables.read", "receipts.read", "receipts.write", "bank_accounts.read", "bank_accounts.write",
               "payments.read", "payments.write", "finance.reports"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


@pytest.fixture
def account(uow, clerk):
    return banking.create(uow(), clerk, {"name": "基本户", "bank_name": "招商银行", "account_no": "6225-9",
                                         "currency": "CNY"})


@pytest.fixture
def submitted(uow, delivered, clerk):
    """sales.order_submitted reached finance: returns the event's data."""
    def submit(total="1000.00", owner=None):
        owner = owner or clerk
        data = delivered("sales.order_submitted", {
            "order_id": str(uuid.uuid4()), "number": f"SO-HQ-2026-{uuid.uuid4().int % 10**6:06d}",
            "customer_id": str(uuid.uuid4()), "total": total, "currency": "CNY", "owner_id": owner.user_id,
            "department_path": owner.department_path, "branch": owner.branch})
        with uow() as unit:
            handlers.order_submitted(unit, data)
        return data
    return submit


@pytest.fixture
def opened(uow, delivered):
    """The order approved and its shipment allowed: the receivable opens (delivered `times` times)."""
    def open_(order, times=1):
        approved = delivered("sales.order_approved", {
            **{k: order[k] for k in ("order_id", "number", "customer_id", "total", "currency", "owner_id",
                                     "department_path", "branch")},
            "payment_terms_days": 30, "approved_by": str(uuid.uuid4()),
            "lines": [{"line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "product_name": "P",
                       "quantity": "1", "unit_price": order["total"], "amount": order["total"]}]})
        allowed = delivered("logistics.shipment_allowed", {
            "fulfilment_id": str(uuid.uuid4()), "order_id": order["order_id"], "order_number": order["number"],
            "customer_id": order["customer_id"], "total": order["total"], "currency": "CNY",
            "payment_terms_days": 30, "owner_id": order["owner_id"], "department_path": order["department_path"],
            "branch": order["branch"]})
        with uow() as unit:
            invoicing.record_order_lines(unit, approved)
        for _ in range(times):
            with uow() as unit:
                receivables.open_for_shipment(unit, allowed)
    return open_


def advance(uow, clerk, order, amount, **extra):
    return use_cases.record_advance(uow(), clerk, order["order_id"], {"amount": amount, "method": "bank_transfer",
                                                                       **extra})


def test_a_deposit_is_held_and_booked_into_the_bank_account(uow, clerk, submitted, account):
    order = submitted()
    held = advance(uow, clerk, order, "300.00", bank_account_id=account["id"], reference="定金")
    assert (held["status"], held["amount"], held["customer_id"]) == ("held", "300.00", order["customer_id"])
    assert held["number"].startswith("RC")
    listed = queries.list_for_order(uow(), clerk, order["order_id"])
    assert (listed["held"], listed["applied"], [i["id"] for i in listed["items"]]) == ("300.00", "0.00", [held["id"]])
    entries = banking_queries.entries(uow(), clerk, account["id"], {})
    assert entries["balance"] == "300.00"
    assert [(e["kind"], e["source_id"]) for e in entries["items"]] == [("advance_receipt", held["id"])]


def test_advances_never_add_up_past_the_order_total(uow, clerk, submitted, account):
    order = submitted(total="1000.00")
    advance(uow, clerk, order, "600.00", bank_account_id=account["id"])
    with pytest.raises(InvalidInput) as refused:
        advance(uow, clerk, order, "400.01", bank_account_id=account["id"])
    assert "amount" in refused.value.errors and "400.00" in refused.value.errors["amount"][0]
    assert queries.list_for_order(uow(), clerk, order["order_id"])["held"] == "600.00"  # nothing changed
    assert banking_queries.entries(uow(), clerk, account["id"], {})["balance"] == "600.00"
    assert advance(uow, clerk, order, "400.00")["status"] == "held"  # exactly the rest fits


def test_a_foreign_currency_or_an_unknown_field_is_refused(uow, clerk, submitted):
    order = submitted()
    with pytest.raises(InvalidInput):
        advance(uow, clerk, order, "1.00", currency="USD")
    with pytest.raises(InvalidInput):
        advance(uow, clerk, order, "1.00", status="applied")


def test_outside_the_scope_or_without_the_permission_nothing_is_taken(uow, clerk, submitted, principal_factory):
    order = submitted()
    stranger = principal_factory(permissions=PERMISSIONS, scope="own")
    with pytest.raises(NotFound):
        advance(uow, stranger, order, "1.00")
    with pytest.raises(NotFound):
        queries.list_for_order(uow(), stranger, order["order_id"])
    from crm_common.errors import Forbidden
    with pytest.raises(Forbidden):
        advance(uow, principal_factory(permissions={"receipts.read"}, scope="all"), order, "1.00")
    with pytest.raises(NotFound):  # an order finance never heard of
        advance(uow, clerk, {"order_id": str(uuid.uuid4())}, "1.00")


def test_held_advances_become_receipts_when_the_receivable_opens_once(uow, clerk, submitted, opened, account,
                                                                      emitted):
    order = submitted(total="1000.00")
    first = advance(uow, clerk, order, "300.00", bank_account_id=account["id"])
    advance(uow, clerk, order, "200.00")
    opened(order, times=2)  # a repeated shipment_allowed applies nothing twice
    with uow() as unit:  # nor does applying again by hand: the advances are no longer held
        from crm_finance.receivables.models import Receivable
        from sqlalchemy import select
        handlers.apply_to(unit, unit.session.execute(
            select(Receivable).where(Receivable.order_id == order["order_id"])).scalar_one())
    [receivable] = receivable_queries.list_(uow(), clerk, {"order_id": order["order_id"]})["items"]
    detail = receivable_queries.get(uow(), clerk, receivable["id"])
    assert (detail["received"], detail["outstanding"], detail["status"]) == ("500.00", "500.00", "partially_paid")
    assert sorted((r["amount"], r["advance_id"] is not None) for r in detail["receipts"]) == \
        [("200.00", True), ("300.00", True)]
    assert first["number"] in {r["number"] for r in detail["receipts"]}
    listed = queries.list_for_order(uow(), clerk, order["order_id"])
    assert (listed["held"], listed["applied"]) == ("0.00", "500.00")
    assert {i["status"] for i in listed["items"]} == {"applied"}
    assert len(emitted("finance.receipt_recorded")) == 2
    # the bank account was booked once, by the advance
    assert banking_queries.entries(uow(), clerk, account["id"], {})["balance"] == "300.00"
    statement = reports.statement(uow(), clerk, order["customer_id"], {})
    assert sorted(r["amount"] for r in statement["receipts"] if r["advance_id"]) == ["200.00", "300.00"]
    with pytest.raises(Conflict):  # from now on money goes to the receivable
        advance(uow, clerk, order, "1.00")
    rest = receipts.create_receipt(uow(), clerk, {"order_id": order["order_id"], "amount": "500.00",
                                                  "method": "cash"})
    assert rest["advance_id"] is None


def test_a_rejected_order_makes_its_advances_refundable_and_the_refund_refunds_them(uow, clerk, submitted,
                                                                                     account, delivered):
    order = submitted(total="800.00")
    held = advance(uow, clerk, order, "800.00", bank_account_id=account["id"])
    decided = delivered("sales.approval_decided", {
        "approval_id": str(uuid.uuid4()), "document_type": "order", "document_id": order["order_id"],
        "document_number": order["number"], "outcome": "rejected", "comment": "价格", "decided_by": str(uuid.uuid4()),
        "owner_id": order["owner_id"], "department_path": order["department_path"], "branch": order["branch"]})
    for _ in range(2):  # redelivered: still one refund
        with uow() as unit:
            approvals.decided(unit, decided)
    [item] = queries.list_for_order(uow(), clerk, order["order_id"])["items"]
    assert item["status"] == "refundable"
    [refund] = payments.list_(uow(), clerk, {"source_id": held["id"]})["items"]
    assert (refund["kind"], refund["amount"], refund["status"]) == ("advance_refund", "800.00", "pending")
    with pytest.raises(Conflict):  # an ended order takes no further advance
        advance(uow, clerk, order, "1.00")
    paying.pay(uow(), clerk, refund["id"], {"bank_account_id": account["id"]})
    [item] = queries.list_for_order(uow(), clerk, order["order_id"])["items"]
    assert (item["status"], item["payment_id"]) == ("refunded", refund["id"])
    assert banking_queries.entries(uow(), clerk, account["id"], {})["balance"] == "0.00"


def test_a_cancelled_order_gives_its_advances_back_but_an_approved_one_keeps_them(uow, clerk, submitted, opened,
                                                                                  delivered):
    cancelled, approved = submitted(), submitted()
    advance(uow, clerk, cancelled, "100.00")
    advance(uow, clerk, approved, "100.00")
    opened(approved)
    for order in (cancelled, approved):
        data = delivered("sales.order_cancelled", order)
        with uow() as unit:
            handlers.order_ended(unit, data["order_id"])
    assert [i["status"] for i in queries.list_for_order(uow(), clerk, cancelled["order_id"])["items"]] == ["refundable"]
    assert [i["status"] for i in queries.list_for_order(uow(), clerk, approved["order_id"])["items"]] == ["applied"]


def test_an_advance_the_receivable_cannot_take_is_given_back(uow, clerk, submitted, opened):
    order = submitted(total="1000.00")
    advance(uow, clerk, order, "900.00")
    opened({**order, "total": "500.00"})  # resubmitted and approved for less
    [item] = queries.list_for_order(uow(), clerk, order["order_id"])["items"]
    assert item["status"] == "refundable"
    [receivable] = receivable_queries.list_(uow(), clerk, {"order_id": order["order_id"]})["items"]
    assert Decimal(receivable["received"]) == 0
