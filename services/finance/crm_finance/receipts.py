"""Use cases for receipts (FIN-02): partial payments against a receivable, never more than owed.

Rule: a receivable can receive at most its amount, the approved order's total (advance payment
before invoicing is common, so the bound is the order, not what was invoiced so far).
A reversal is a new document that undoes a receipt; the receipt itself is never edited.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_finance import bank_accounts, plans
from crm_finance import receivable_rules as rules
from crm_finance.models import Receipt, ReceiptReversal, Receivable
from crm_finance.receivables import SCOPE, today
from crm_finance.schemas import ReceiptIn, ReceiptListQuery, ReceiptOut, ReversalIn

SORTS = {"created_at": Receipt.created_at, "received_on": Receipt.received_on, "number": Receipt.number}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(ReceiptIn(), payload)
    with uow:
        # the row lock makes concurrent receipts for one receivable queue up on fresh totals
        receivable = get_in_scope(uow.session, Receivable, data["receivable_id"], principal,
                                  for_update=True)
        if data.get("currency", receivable.currency) != receivable.currency:
            raise InvalidInput("Currency differs from the receivable's",
                               {"currency": [f"Must be {receivable.currency}."]})
        if data["amount"] > receivable.outstanding:
            raise InvalidInput("Amount exceeds what is outstanding",
                               {"amount": [f"Exceeds the outstanding {receivable.outstanding}."]})
        account = None
        if data.get("bank_account_id"):
            account = bank_accounts.lock_for_booking(uow.session, principal, data["bank_account_id"],
                                                     receivable.currency)
        receipt = Receipt(
            id=new_id(), number=uow.next_number(f"RC-{receivable.branch}"),
            receivable_id=receivable.id, order_id=receivable.order_id, amount=data["amount"],
            currency=receivable.currency, method=data["method"],
            received_on=data.get("received_on") or today(), reference=data.get("reference"),
            bank_account_id=account.id if account else None,
            **{key: getattr(receivable, key) for key in SCOPE})
        receivable.received += data["amount"]
        receivable.status = rules.receivable_status(receivable.amount, receivable.received)
        if receivable.instalments:
            receivable.due_date = plans.next_due(receivable)
        uow.session.add(receipt)
        if account:
            bank_accounts.book(uow.session, account, receipt.amount, "receipt", receipt.id, receipt.number,
                               receipt.received_on)
        uow.session.flush()
        uow.emit("finance.receipt_recorded", _event(receipt))
        return ReceiptOut().dump(receipt)


def reverse(uow, principal: Principal, receipt_id, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(ReversalIn(), payload)
    with uow:
        receipt = get_in_scope(uow.session, Receipt, receipt_id, principal)
        # lock the receivable first, like a receipt does, then look at the reversal afresh
        receivable = uow.session.execute(
            select(Receivable).where(Receivable.id == receipt.receivable_id).with_for_update()
            .execution_options(populate_existing=True)).scalar_one()
        if uow.session.execute(select(ReceiptReversal.id).where(ReceiptReversal.receipt_id == receipt.id)).first():
            raise Conflict("This receipt was already reversed")
        reversal = ReceiptReversal(id=new_id(), number=uow.next_number(f"RV-{receipt.branch}"),
                                   receipt_id=receipt.id, reason=data["reason"], reversed_on=today(),
                                   reversed_by=principal.user_id)
        receivable.received -= receipt.amount
        receivable.status = rules.receivable_status(receivable.amount, receivable.received)
        if receivable.instalments:
            receivable.due_date = plans.next_due(receivable)
        uow.session.add(reversal)
        if receipt.bank_account_id:
            account = bank_accounts.lock_for_booking(uow.session, principal, receipt.bank_account_id,
                                                     receipt.currency)
            bank_accounts.book(uow.session, account, -receipt.amount, "receipt_reversal", reversal.id,
                               reversal.number, reversal.reversed_on)
        uow.session.flush()
        receipt.reversal = reversal
        uow.emit("finance.receipt_reversed", {**_event(receipt), "reversal_id": reversal.id})
        return ReceiptOut().dump(receipt)


def _event(receipt: Receipt) -> dict:
    return {"receipt_id": receipt.id, "receivable_id": receipt.receivable_id, "order_id": receipt.order_id,
            "amount": receipt.amount, "currency": receipt.currency,
            **{key: getattr(receipt, key) for key in SCOPE}}


def get(uow, principal: Principal, receipt_id) -> dict:
    principal.require("receipts.read")
    with uow:
        return ReceiptOut().dump(get_in_scope(uow.session, Receipt, receipt_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("receipts.read")
    q = load_query(ReceiptListQuery(), query)
    stmt = select(Receipt).where(scope_filter(principal, Receipt))
    if "receivable_id" in q:
        stmt = stmt.where(Receipt.receivable_id == str(q["receivable_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Receipt.id, q, SORTS, "-created_at")
        return {"items": ReceiptOut(many=True).dump(rows), "next_cursor": cursor}
