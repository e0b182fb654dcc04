"""A shipment allowed opens the receivable: what the customer owes for the order."""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_finance.db import SCOPE, today
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
    uow.emit("finance.receivable_opened", events.receivable_opened(receivable))
