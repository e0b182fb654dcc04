"""Finance documents held for a configured approval flow (SAL-07, FIN-02, FIN-05), through their
use cases and the handlers of the engine's answers, on the finance database alone."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from crm_common.errors import Conflict, InvalidInput
from crm_finance.approvals import handlers, use_cases as approvals
from crm_finance.invoicing import queries as invoices, use_cases as invoicing
from crm_finance.receivables import queries as receivables, use_cases as receipts


def not_an_approver(_document_type, _document_id):
    raise AssertionError("the clerk reads these in scope: whether they approve them is never asked")


NOW = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions={"invoices.read", "invoices.write", "receivables.read", "receipts.write",
                                          "receipts.read"}, scope="own")


def _flow(uow, document_type, configured, at=NOW):
    with uow() as unit:
        approvals.flow_changed(unit, {"occurred_at": at.isoformat()}, {
            "flow_id": str(uuid.uuid4()), "document_type": document_type, "version": 1, "configured": configured})


def _answer(uow, emitted, document_type, document_id, outcome, comment=None):
    approval_id = str(uuid.uuid4())
    with uow() as unit:
        data = {"approval_id": approval_id, "document_type": document_type, "document_id": document_id,
                "outcome": outcome, "comment": comment}
        (handlers.withdrawn if outcome == "withdrawn" else handlers.decided)(unit, data)
    return approval_id


def test_a_late_older_flow_change_does_not_undo_a_newer_one(uow):
    _flow(uow, "invoice", True)
    _flow(uow, "invoice", False, NOW - timedelta(seconds=1))
    _flow(uow, "order", True)  # not finance's
    with uow() as unit:
        assert approvals.held(unit.session, "invoice") and not approvals.held(unit.session, "order")


def test_a_held_invoice_waits_then_is_issued_once_approved(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    _flow(uow, "invoice", True)
    held = invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "113.00"})
    assert (held["status"], held["number"]) == ("pending_approval", None)
    assert receivables.get(uow(), clerk, receivable["id"])["invoiced"] == "0.00"
    (_, asked), = emitted("finance.approval_requested")
    assert (asked["document_type"], asked["submitted_by"], asked["amount"]) == ("invoice", clerk.user_id, "113.00")
    with pytest.raises(Conflict):  # held: only the engine's answer issues it
        invoicing.issue(uow(), clerk, held["id"])
    approval_id = _answer(uow, emitted, "invoice", held["id"], "approved")
    _answer(uow, emitted, "invoice", held["id"], "approved")  # a second answer changes nothing
    issued = invoices.get(uow(), clerk, held["id"], not_an_approver)
    assert (issued["status"], issued["approval_id"]) == ("issued", approval_id) and issued["number"]
    assert receivables.get(uow(), clerk, receivable["id"])["invoiced"] == "113.00"
    assert len(emitted("finance.invoice_issued")) == 1


def test_a_rejected_or_withdrawn_invoice_is_a_draft_again(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    _flow(uow, "invoice", True)
    held = invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "10.00"})
    _answer(uow, None, "invoice", held["id"], "rejected", "抬头不对")
    back = invoices.get(uow(), clerk, held["id"], not_an_approver)
    assert (back["status"], back["approval_note"]) == ("draft", "抬头不对")
    assert invoicing.issue(uow(), clerk, held["id"])["status"] == "pending_approval"  # submitted again
    _answer(uow, None, "invoice", held["id"], "withdrawn")
    assert invoices.get(uow(), clerk, held["id"], not_an_approver)["status"] == "draft"


def test_a_held_reversal_takes_its_share_at_once_and_a_rejection_gives_it_back(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    original = invoicing.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "100.00"})
    _flow(uow, "invoice_reversal", True)
    red = invoicing.reverse(uow(), clerk, original["id"], {"amount": "100.00", "reason": "开错"})
    assert (red["status"], red["number"]) == ("pending_approval", None)
    with pytest.raises(InvalidInput):  # nothing is left to reverse while the held one has it
        invoicing.reverse(uow(), clerk, original["id"], {"amount": "1.00", "reason": "再冲"})
    _answer(uow, emitted, "invoice_reversal", red["id"], "rejected", "不冲")
    assert invoices.get(uow(), clerk, original["id"], not_an_approver)["reversed_amount"] == "0.00"
    assert invoices.get(uow(), clerk, red["id"], not_an_approver)["status"] == "rejected"
    red = invoicing.reverse(uow(), clerk, original["id"], {"amount": "100.00", "reason": "开错"})
    _answer(uow, emitted, "invoice_reversal", red["id"], "approved")
    assert invoices.get(uow(), clerk, original["id"], not_an_approver)["status"] == "reversed"
    assert invoices.get(uow(), clerk, red["id"], not_an_approver)["number"]
    assert receivables.get(uow(), clerk, receivable["id"])["invoiced"] == "0.00"
    assert len(emitted("finance.invoice_reversed")) == 1


def test_a_held_receipt_counts_only_once_approved_and_not_past_what_is_outstanding(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    _flow(uow, "receipt", True)
    first = receipts.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": "800.00",
                                                   "method": "cash"})
    second = receipts.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": "800.00",
                                                    "method": "cash"})
    assert (first["status"], receivables.get(uow(), clerk, receivable["id"])["received"]) == (
        "pending_approval", "0.00")
    with pytest.raises(Conflict):
        receipts.reverse_receipt(uow(), clerk, first["id"], {"reason": "错"})
    _answer(uow, None, "receipt", first["id"], "approved")
    _answer(uow, None, "receipt", second["id"], "approved")  # 1,000 owed: the second no longer fits
    assert receivables.get(uow(), clerk, receivable["id"])["received"] == "800.00"
    refused = receivables.get_receipt(uow(), clerk, second["id"], not_an_approver)
    assert refused["status"] == "rejected" and "outstanding" in refused["approval_note"]
    _flow(uow, "receipt", False, NOW + timedelta(seconds=1))
    assert receipts.create_receipt(uow(), clerk, {"receivable_id": receivable["id"], "amount": "200.00",
                                                  "method": "cash"})["status"] == "recorded"
