"""Finance's own events kept in the report rollups, inside the idempotent handler's unit of work
(crm_common.events.handlers): a redelivered event adds nothing a second time."""
from crm_common import rollups
from crm_finance.db import ROLLUPS
from crm_finance.reports import rules


def rolled_up(rule):
    def handler(uow, envelope: dict, data: dict) -> None:
        rollups.add(uow.session, ROLLUPS, rule(data, envelope["occurred_at"]))
    handler.__qualname__ = f"reports.{rule.__name__}"
    return handler


receipt_recorded = rolled_up(rules.receipt_recorded)
receipt_reversed = rolled_up(rules.receipt_reversed)
invoice_issued = rolled_up(rules.invoice_issued)
invoice_reversed = rolled_up(rules.invoice_reversed)
