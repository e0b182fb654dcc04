"""Sales' own events kept in the report rollups. Each runs inside the idempotent handler's unit
of work (crm_common.events.handlers): a redelivered event adds nothing a second time."""
from crm_common import rollups
from crm_sales.db import ROLLUPS
from crm_sales.reports import rules


def opportunity_changed(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.opportunity_changed(data))


def order_approved(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.order_approved(data, envelope["occurred_at"]))


def contract_signed(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.contract_signed(data))
