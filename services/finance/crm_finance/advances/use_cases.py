"""Advance receipts (预收款, issue 14): money paid against an order before it is approved.

Recorded with `POST /orders/{id}/advance-receipts` (not `POST /receipts`: a receipt belongs to a
receivable, and the order has none until it is approved and allowed to ship). An advance is
booked into the bank account at once, like a receipt, and held; the order's total bounds the
advances held or applied. The receivable's opening turns the held ones into its receipts (same
number, same bank entry); the order ending unapproved makes them refundable, refunded by a payment.
"""
from sqlalchemy import func, select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance.advances import rules
from crm_finance.advances.models import AdvanceReceipt, OrderFacts
from crm_finance.advances.schemas import AdvanceIn, AdvanceOut
from crm_finance.banking.use_cases import book, lock_for_booking
from crm_finance.db import SCOPE, today
from crm_finance.receivables.models import Receivable


def taken(session, order_id) -> object:
    return session.execute(select(func.coalesce(func.sum(AdvanceReceipt.amount), 0)).where(
        AdvanceReceipt.order_id == order_id, AdvanceReceipt.status.in_(rules.TAKEN))).scalar_one()


def record_advance(uow, principal: Principal, order_id, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(AdvanceIn(), payload)
    with uow:
        session = uow.session
        # the order's row lock queues concurrent advances (and the receivable's opening) on fresh totals
        order = get_in_scope(session, OrderFacts, order_id, principal, for_update=True)
        if session.execute(select(Receivable.id).where(Receivable.order_id == order.id)).first():
            raise Conflict("The order's receivable is open: record a receipt against it",
                           {"order_id": ["Use POST /receipts."]})
        if order.status != rules.SUBMITTED:
            raise Conflict("The order ended without approval: it takes no advance", {"status": [order.status]})
        if data.get("currency", order.currency) != order.currency:
            raise InvalidInput("Currency differs from the order's", {"currency": [f"Must be {order.currency}."]})
        room = rules.room(order.total, taken(session, order.id))
        if data["amount"] > room:
            raise InvalidInput("Amount exceeds what the order leaves to pay in advance",
                               {"amount": [f"Exceeds the {room} the order total leaves."]})
        account = None
        if data.get("bank_account_id"):
            account = lock_for_booking(session, principal, data["bank_account_id"], order.currency)
        advance = AdvanceReceipt(
            id=new_id(), number=uow.document_number("receipt", order.branch), order_id=order.id,
            customer_id=order.customer_id, amount=data["amount"], currency=order.currency, method=data["method"],
            received_on=data.get("received_on") or today(), reference=data.get("reference"),
            bank_account_id=account.id if account else None, status=rules.HELD,
            **{key: getattr(order, key) for key in SCOPE})
        session.add(advance)
        if account:
            book(session, account, advance.amount, "advance_receipt", advance.id, advance.number, advance.received_on)
        session.flush()
        return AdvanceOut().dump(advance)


def refunded(session, payment) -> None:
    """The refund payment of an advance was paid (payments.pay, same transaction)."""
    advance = session.execute(select(AdvanceReceipt).where(AdvanceReceipt.id == payment.source_id)
                              .with_for_update()).scalar_one()
    rules.ADVANCE.apply(advance, "refund")
    advance.payment_id = payment.id
