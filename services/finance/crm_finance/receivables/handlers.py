"""A shipment allowed opens the receivable: what the customer owes for the order."""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.records import utcnow
from crm_finance.advances import handlers as advances
from crm_finance.db import SCOPE, today
from crm_finance.invoicing.models import OrderLine
from crm_finance.payments import handlers as payments
from crm_finance.receivables import events, rules
from crm_finance.receivables.models import Instalment, Receivable

log = logging.getLogger(__name__)


def _agreed_plan(receivable: Receivable, plan: list) -> None:
    """The payment plan agreed on the order before approval becomes the receivable's."""
    instalments = [(item["due_date"], item["amount"]) for item in plan]
    if not instalments:
        return
    if rules.plan_errors(receivable.amount, instalments):  # sales checks the same: a plan from elsewhere
        log.warning("order %s: its payment plan does not fit the receivable; kept to the terms", receivable.order_id)
        return
    receivable.instalments = [Instalment(id=new_id(), position=position, due_date=due, amount=amount)
                              for position, (due, amount) in enumerate(instalments)]
    receivable.due_date = rules.next_due(receivable.received, instalments)


def open_for_shipment(uow, allowed: dict) -> None:
    """Handle logistics.shipment_allowed inside the handler's unit of work (already entered)."""
    session = uow.session
    if session.execute(select(Receivable.id).where(Receivable.order_id == allowed["order_id"])).first():
        # a second, distinct event for the same order (event_id dedup cannot catch it)
        log.warning("order %s already has a receivable; ignoring the repeated event", allowed["order_id"])
        return
    receivable = Receivable(
        id=new_id(), order_id=allowed["order_id"], order_number=allowed["order_number"],
        fulfilment_id=allowed["fulfilment_id"], customer_id=allowed["customer_id"],
        currency=allowed["currency"], amount=allowed["total"], received=0,
        status=rules.receivable_status(allowed["total"], 0),
        due_date=rules.due_date(today(), allowed["payment_terms_days"]),
        **{key: allowed[key] for key in SCOPE})
    _agreed_plan(receivable, allowed["payment_plan"])
    session.add(receivable)
    session.flush()
    advances.apply_to(uow, receivable)
    uow.emit("finance.receivable_opened", events.receivable_opened(receivable))


class ReceivableNotOpenYet(Exception):
    """The fulfilment's closing overtook the receivable's opening (two queues): retried."""


def reduce_for_closing(uow, closed: dict) -> None:
    """Handle logistics.fulfilment_closed: the receivable becomes what was shipped (once)."""
    session = uow.session
    receivable = session.execute(
        select(Receivable).where(Receivable.order_id == closed["order_id"]).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    lines = {line.id: line for line in session.execute(
        select(OrderLine).where(OrderLine.order_id == closed["order_id"]).order_by(OrderLine.id).with_for_update()
        .execution_options(populate_existing=True)).scalars()}
    if receivable is None or len(lines) != len(closed["lines"]):
        raise ReceivableNotOpenYet(closed["order_id"])
    if receivable.closed_at is not None:
        return
    ordered = [(lines[line["order_line_id"]], line) for line in closed["lines"]]
    figures = rules.closing(receivable.amount, receivable.received, receivable.invoiced,
                            [(mine.amount, mine.invoiced, line["ordered"], line["shipped"]) for mine, line in ordered])
    for (mine, _), amount in zip(ordered, figures["line_amounts"], strict=True):
        mine.amount = amount
    for key in ("original_amount", "amount", "status", "refund_due", "red_invoice_due"):
        setattr(receivable, key, figures[key])
    receivable.closed_reason, receivable.closed_at = closed["reason"], utcnow()
    if receivable.instalments:
        kept = rules.trim_plan([(i.due_date, i.amount) for i in receivable.instalments], receivable.amount)
        for instalment in receivable.instalments[len(kept):]:
            session.delete(instalment)
        for instalment, (_, amount) in zip(receivable.instalments[:len(kept)], kept, strict=True):
            instalment.amount = amount
        session.flush()
        session.expire(receivable, ["instalments"])
        if kept:
            receivable.due_date = rules.next_due(receivable.received, kept)
    session.flush()
    if receivable.refund_due > 0:
        payments.from_closing(uow, receivable)
    uow.emit("finance.receivable_reduced", events.receivable_reduced(receivable))
