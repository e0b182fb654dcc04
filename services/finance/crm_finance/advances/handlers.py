"""What sales' and logistics' events do to advances: the order's facts on submission, the
advances applied when the receivable opens, made refundable when the order ends unapproved."""
import logging

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from crm_common.database import new_id
from crm_common.records import utcnow
from crm_finance.advances import rules
from crm_finance.advances.models import AdvanceReceipt, OrderFacts
from crm_finance.db import SCOPE
from crm_finance.payments import handlers as payments
from crm_finance.receivables import events, rules as receivables
from crm_finance.receivables.models import Receipt, Receivable

log = logging.getLogger(__name__)


def order_submitted(uow, data: dict) -> None:
    """sales.order_submitted (again after a rejection: the total may have changed)."""
    values = {"number": data["number"], "customer_id": data["customer_id"], "total": data["total"],
              "currency": data["currency"], "status": rules.SUBMITTED, "updated_at": utcnow(),
              **{key: data[key] for key in SCOPE}}
    uow.session.execute(insert(OrderFacts).values(id=data["order_id"], **values)
                        .on_conflict_do_update(index_elements=[OrderFacts.id], set_=values))


def _held(session, order_id) -> list[AdvanceReceipt]:
    """The order's held advances, its facts row locked first (the lock advances are recorded under)."""
    session.execute(select(OrderFacts.id).where(OrderFacts.id == order_id).with_for_update())
    return session.execute(select(AdvanceReceipt).where(AdvanceReceipt.order_id == order_id,
                                                        AdvanceReceipt.status == rules.HELD)
                           .order_by(AdvanceReceipt.number).with_for_update()
                           .execution_options(populate_existing=True)).scalars().all()


def apply_to(uow, receivable: Receivable) -> None:
    """The receivable just opened (same transaction): each held advance becomes one of its receipts,
    with the advance's number and bank entry. An advance the receivable cannot take (its amount is
    less than the order's total at submission) is made refundable instead."""
    session = uow.session
    for advance in _held(session, receivable.order_id):
        if advance.amount > receivable.outstanding or advance.currency != receivable.currency:
            log.warning("advance %s does not fit receivable %s: refundable", advance.id, receivable.id)
            _release(uow, advance)
            continue
        receipt = Receipt(id=new_id(), number=advance.number, receivable_id=receivable.id,
                          order_id=receivable.order_id, amount=advance.amount, currency=advance.currency,
                          method=advance.method, received_on=advance.received_on, reference=advance.reference,
                          bank_account_id=advance.bank_account_id, status=receivables.RECORDED,
                          advance_id=advance.id, **{key: getattr(receivable, key) for key in SCOPE})
        session.add(receipt)
        rules.ADVANCE.apply(advance, "apply")
        advance.receipt_id, advance.applied_at = receipt.id, utcnow()
        receivable.received += advance.amount
        receivable.status = receivables.receivable_status(receivable.amount, receivable.received)
        session.flush()
        uow.emit("finance.receipt_recorded", events.receipt_recorded(receipt))
    if receivable.instalments:
        receivable.due_date = receivables.next_due(receivable.received,
                                                   [(i.due_date, i.amount) for i in receivable.instalments])


def _release(uow, advance: AdvanceReceipt) -> None:
    rules.ADVANCE.apply(advance, "release")
    uow.session.flush()
    payments.from_advance(uow, advance)


def order_ended(uow, order_id: str) -> None:
    """The order was rejected or cancelled before its receivable: its held advances go back."""
    session = uow.session
    if session.execute(select(Receivable.id).where(Receivable.order_id == order_id)).first():
        return  # approved after all: the receivable holds the money (an end then cuts it, with a refund)
    facts = session.execute(select(OrderFacts).where(OrderFacts.id == order_id).with_for_update()
                            .execution_options(populate_existing=True)).scalar_one_or_none()
    if facts is None:
        return  # submitted before finance kept facts: it can have no advance
    facts.status = rules.ENDED
    for advance in _held(session, order_id):
        _release(uow, advance)
