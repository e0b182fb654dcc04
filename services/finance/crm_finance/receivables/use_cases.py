"""Use cases for payment plans (FIN-03) and receipts (FIN-02) against a receivable.

Receipts: a receivable can receive at most its amount, the approved order's total (advance
payment before invoicing is common, so the bound is the order, not what was invoiced so far).
A reversal is a new document that undoes a receipt; the receipt itself is never edited.

Plans: receipts are not tied to an instalment; what was received pays the oldest instalments
first. Setting a plan replaces the previous one; the receivable's due date becomes the first
unpaid instalment's, so ageing and dunning follow the plan.
"""
from sqlalchemy import delete, select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance.approvals import rules as approvals_rules, use_cases as approvals
from crm_finance.banking.use_cases import book, lock_for_booking
from crm_finance.db import SCOPE, today
from crm_finance.receivables import events, rules
from crm_finance.receivables.models import Instalment, Receipt, ReceiptReversal, Receivable
from crm_finance.receivables.queries import present_plan
from crm_finance.receivables.schemas import PlanIn, ReceiptIn, ReceiptOut, ReversalIn


def set_plan(uow, principal: Principal, receivable_id, payload) -> dict:
    principal.require("receivables.write")
    data = load_body(PlanIn(), payload)
    requested = [(item["due_date"], item["amount"]) for item in data["instalments"]]
    with uow:
        receivable = get_in_scope(uow.session, Receivable, receivable_id, principal, for_update=True)
        errors = rules.plan_errors(receivable.amount, requested)
        if errors:
            raise InvalidInput("Invalid payment plan", errors)
        uow.session.execute(delete(Instalment).where(Instalment.receivable_id == receivable.id))
        receivable.instalments = [Instalment(id=new_id(), position=position, due_date=due, amount=amount)
                                  for position, (due, amount) in enumerate(requested)]
        _follow_plan(receivable)
        uow.session.flush()
        return present_plan(receivable)


def _follow_plan(receivable: Receivable) -> None:
    if receivable.instalments:
        receivable.due_date = rules.next_due(receivable.received,
                                             [(i.due_date, i.amount) for i in receivable.instalments])


def _receivable_of(session, order_id) -> str | None:
    """An order is received against its receivable, which its approval opened (none before)."""
    return session.execute(select(Receivable.id).where(Receivable.order_id == str(order_id))).scalar_one_or_none()


def create_receipt(uow, principal: Principal, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(ReceiptIn(), payload)
    with uow:
        # the row lock makes concurrent receipts for one receivable queue up on fresh totals
        receivable = get_in_scope(uow.session, Receivable, data.get("receivable_id") or _receivable_of(
            uow.session, data["order_id"]), principal, for_update=True)
        if data.get("currency", receivable.currency) != receivable.currency:
            raise InvalidInput("Currency differs from the receivable's",
                               {"currency": [f"Must be {receivable.currency}."]})
        if data["amount"] > receivable.outstanding:
            raise InvalidInput("Amount exceeds what is outstanding",
                               {"amount": [f"Exceeds the outstanding {receivable.outstanding}."]})
        account = None
        if data.get("bank_account_id"):
            account = lock_for_booking(uow.session, principal, data["bank_account_id"], receivable.currency)
        receipt = Receipt(
            id=new_id(), number=uow.document_number("receipt", receivable.branch),
            receivable_id=receivable.id, order_id=receivable.order_id, amount=data["amount"],
            currency=receivable.currency, method=data["method"],
            received_on=data.get("received_on") or today(), reference=data.get("reference"),
            bank_account_id=account.id if account else None, status=rules.RECORDED,
            **{key: getattr(receivable, key) for key in SCOPE})
        uow.session.add(receipt)
        if approvals.held(uow.session, approvals_rules.RECEIPT):
            receipt.status = approvals_rules.PENDING
            uow.session.flush()
            approvals.request(uow, principal, approvals_rules.RECEIPT, receipt, number=receipt.number,
                              amount=receipt.amount, customer_id=receivable.customer_id, order_id=receivable.order_id,
                              summary=f"{receipt.method} {receipt.amount} {receipt.currency}")
        else:
            _record_receipt(uow, receipt, receivable, account)
        return ReceiptOut().dump(receipt)


def _record_receipt(uow, receipt: Receipt, receivable: Receivable, account) -> None:
    """Into the receivable (and its plan) and the bank account; then everyone is told."""
    receivable.received += receipt.amount
    receivable.status = rules.receivable_status(receivable.amount, receivable.received)
    _follow_plan(receivable)
    if account:
        book(uow.session, account, receipt.amount, "receipt", receipt.id, receipt.number, receipt.received_on)
    uow.session.flush()
    uow.emit("finance.receipt_recorded", events.receipt_recorded(receipt))


def apply_receipt_decision(uow, data: dict, outcome: str) -> None:
    """sales.approval_decided / _withdrawn for a held receipt: approved, it is recorded (checked again
    against what is outstanding now; over it, it is rejected with the reason); rejected or
    withdrawn, it stays for the record and counts nowhere. Once."""
    session = uow.session
    receipt = session.get(Receipt, data["document_id"])
    if receipt is None or receipt.status != approvals_rules.PENDING:
        return
    # the receivable first, as receipts take it, then the receipt afresh
    receivable = session.execute(select(Receivable).where(Receivable.id == receipt.receivable_id).with_for_update()
                                 .execution_options(populate_existing=True)).scalar_one()
    session.refresh(receipt, with_for_update=True)
    if receipt.status != approvals_rules.PENDING:
        return
    receipt.approval_id = data["approval_id"]
    if outcome == "approved" and receipt.amount > receivable.outstanding:
        receipt.approval_note = f"Approved, but exceeds the outstanding {receivable.outstanding}"
        outcome = "rejected"
    elif outcome != "approved":
        receipt.approval_note = (data.get("comment") or outcome)[:2000]
    action = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}[outcome]
    approvals_rules.RECEIPT_APPROVAL.apply(receipt, action)
    if action == "approve":
        account = lock_for_booking(session, approvals.deciding_principal(receipt.branch), receipt.bank_account_id,
                                   receipt.currency) if receipt.bank_account_id else None
        _record_receipt(uow, receipt, receivable, account)


def reverse_receipt(uow, principal: Principal, receipt_id, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(ReversalIn(), payload)
    with uow:
        receipt = get_in_scope(uow.session, Receipt, receipt_id, principal)
        # lock the receivable first, like a receipt does, then look at the reversal afresh
        receivable = uow.session.execute(
            select(Receivable).where(Receivable.id == receipt.receivable_id).with_for_update()
            .execution_options(populate_existing=True)).scalar_one()
        reversed_already = uow.session.execute(
            select(ReceiptReversal.id).where(ReceiptReversal.receipt_id == receipt.id)).first() is not None
        if receipt.status != rules.RECORDED:
            raise Conflict(f"A receipt that is {receipt.status} is not reversed", {"status": [receipt.status]})
        rules.RECEIPT.next_status(rules.receipt_status(reversed_already), "reverse")
        if receivable.refund_due > 0:
            # the refund of the order's end was worked out from these receipts
            raise Conflict("The order ended with a refund due from these receipts; reverse through the refund",
                           {"refund_due": [str(receivable.refund_due)]})
        reversal = ReceiptReversal(id=new_id(), number=uow.document_number("receipt_reversal", receipt.branch),
                                   receipt_id=receipt.id, reason=data["reason"], reversed_on=today(),
                                   reversed_by=principal.user_id)
        receivable.received -= receipt.amount
        receivable.status = rules.receivable_status(receivable.amount, receivable.received)
        _follow_plan(receivable)
        uow.session.add(reversal)
        if receipt.bank_account_id:
            account = lock_for_booking(uow.session, principal, receipt.bank_account_id, receipt.currency)
            book(uow.session, account, -receipt.amount, "receipt_reversal", reversal.id, reversal.number,
                 reversal.reversed_on)
        uow.session.flush()
        receipt.reversal = reversal
        uow.emit("finance.receipt_reversed", {**events.receipt_recorded(receipt), "reversal_id": reversal.id})
        return ReceiptOut().dump(receipt)
