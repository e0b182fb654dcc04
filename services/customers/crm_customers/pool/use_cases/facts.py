"""What sales says of a customer's opportunities, kept for the pools' rules (CUS-15), from
`sales.opportunity_changed` (the report pack's event: one event for the one fact): a creation
(`before` null) opens the opportunity, a change out of `open` closes it as won or lost.

Each change fills only its own columns of the opportunity's row (upsert by opportunity id), so a
closing that arrives before its opening still adds up; the customer's recycle date follows.
"""
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_customers.customers.use_cases import refresh_due
from crm_customers.pool.models import PoolOpportunity


def opportunity_changed(session, data: dict) -> None:
    if data.get("customer_id") is None:
        return  # an older message, from before the event said its customer
    before, after = data["before"], data["after"]
    if before is None:
        opportunity_opened(session, {**data, "opened_at": data["created_at"]})
    if after["status"] != "open" and (before is None or before["status"] == "open"):
        opportunity_closed(session, {**data, "outcome": after["status"], "closed_at": data["changed_at"]})


def opportunity_opened(session, data: dict) -> None:
    _upsert(session, data, opened_at=data["opened_at"])


def opportunity_closed(session, data: dict) -> None:
    _upsert(session, data, closed_at=data["closed_at"], outcome=data["outcome"])


def _upsert(session, data: dict, **columns) -> None:
    stmt = pg_insert(PoolOpportunity).values(opportunity_id=data["opportunity_id"], customer_id=data["customer_id"],
                                             **columns)
    session.execute(stmt.on_conflict_do_update(index_elements=["opportunity_id"],
                                               set_={**columns, "customer_id": data["customer_id"]}))
    refresh_due(session, data["customer_id"])
