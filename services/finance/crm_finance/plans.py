"""Use cases for payment plans (FIN-03): a receivable split into instalments with due dates.

Receipts are not tied to an instalment: what was received pays the oldest instalments first.
Setting a plan replaces the previous one; the receivable's due date becomes the first unpaid
instalment's, so ageing and dunning follow the plan.
"""
from sqlalchemy import delete

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance import money_rules
from crm_finance.models import Instalment, Receivable
from crm_finance.receivables import today
from crm_finance.schemas import PlanIn, PlanOut


def _out(receivable: Receivable) -> dict:
    allocation = money_rules.allocate(receivable.received, [i.amount for i in receivable.instalments])
    as_of = today()
    items = []
    for instalment, (_, paid) in zip(receivable.instalments, allocation, strict=True):
        status = "paid" if paid >= instalment.amount else ("overdue" if instalment.due_date < as_of else "open")
        items.append({"position": instalment.position, "due_date": instalment.due_date,
                      "amount": instalment.amount, "paid": paid, "status": status})
    return PlanOut().dump({"receivable_id": receivable.id, "due_date": receivable.due_date, "instalments": items})


def set_plan(uow, principal: Principal, receivable_id, payload) -> dict:
    principal.require("receivables.write")
    data = load_body(PlanIn(), payload)
    requested = [(item["due_date"], item["amount"]) for item in data["instalments"]]
    with uow:
        receivable = get_in_scope(uow.session, Receivable, receivable_id, principal, for_update=True)
        errors = money_rules.plan_errors(receivable.amount, requested)
        if errors:
            raise InvalidInput("Invalid payment plan", errors)
        uow.session.execute(delete(Instalment).where(Instalment.receivable_id == receivable.id))
        receivable.instalments = [Instalment(id=new_id(), position=position, due_date=due, amount=amount)
                                  for position, (due, amount) in enumerate(requested)]
        receivable.due_date = next_due(receivable)
        uow.session.flush()
        return _out(receivable)


def next_due(receivable: Receivable):
    allocation = money_rules.allocate(receivable.received, [i.amount for i in receivable.instalments])
    unpaid = [i.due_date for i, (value, paid) in zip(receivable.instalments, allocation, strict=True) if paid < value]
    return unpaid[0] if unpaid else receivable.instalments[-1].due_date


def get_plan(uow, principal: Principal, receivable_id) -> dict:
    principal.require("receivables.read")
    with uow:
        return _out(get_in_scope(uow.session, Receivable, receivable_id, principal))
