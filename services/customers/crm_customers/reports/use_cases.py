"""How customers' own events change the report rollups, each inside the idempotent handler's unit
of work (crm_common.events.handlers): a redelivered event adds nothing a second time."""
from crm_common import rollups
from crm_customers.db import ROLLUPS
from crm_customers.reports import rules


def interaction_recorded(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.interaction_recorded(data))


def lead_created(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.lead_created(data))


def lead_converted(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.lead_converted(data))


def owner_changed(uow, envelope: dict, data: dict) -> None:
    rollups.add(uow.session, ROLLUPS, rules.owner_changed(data, envelope["occurred_at"]))
