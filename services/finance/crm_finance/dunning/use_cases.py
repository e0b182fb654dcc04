"""The daily dunning job (FIN-04): one `finance.receivable_overdue` per overdue receivable and
day, which the workspace service turns into a reminder for the owner.

It runs from a timer every hour and from an admin endpoint; a (receivable, day) row inserted
ON CONFLICT DO NOTHING makes every run of the same day, on any replica, remind only once.
"""
import logging

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from crm_common.principal import Principal
from crm_common.validation import load_body
from crm_finance.db import today
from crm_finance.dunning import events
from crm_finance.dunning.models import DunningNotice
from crm_finance.dunning.schemas import DunningIn, DunningRunOut
from crm_finance.receivables import rules as receivables
from crm_finance.receivables.models import Receivable

log = logging.getLogger(__name__)
BATCH = 500


def run(uow_factory, as_of=None) -> dict:
    as_of = as_of or today()
    reminded, last_id = 0, None
    while True:
        with uow_factory() as uow:
            stmt = (select(Receivable).where(Receivable.status.not_in(receivables.SETTLED), Receivable.due_date < as_of)
                    .order_by(Receivable.id).limit(BATCH))
            if last_id:
                stmt = stmt.where(Receivable.id > last_id)
            batch = uow.session.execute(stmt).scalars().all()
            for receivable in batch:
                reminded += _remind(uow, receivable, as_of)
        if len(batch) < BATCH:
            break
        last_id = batch[-1].id
    if reminded:
        log.info("dunning for %s: %d reminder(s)", as_of, reminded)
    return {"as_of": as_of, "reminded": reminded}


def _remind(uow, receivable: Receivable, as_of) -> int:
    days = receivables.days_overdue(receivable.due_date, as_of)
    first = uow.session.execute(
        insert(DunningNotice).values(receivable_id=receivable.id, run_on=as_of, days_overdue=days)
        .on_conflict_do_nothing().returning(DunningNotice.receivable_id)).first()
    if first is None:
        return 0
    uow.emit("finance.receivable_overdue", events.receivable_overdue(receivable, days))
    return 1


def run_now(uow_factory, principal: Principal, payload) -> dict:
    """Operator trigger; `as_of` lets finance catch up a missed day."""
    principal.require("finance.dunning")
    data = load_body(DunningIn(), payload)
    return DunningRunOut().dump(run(uow_factory, data.get("as_of")))
