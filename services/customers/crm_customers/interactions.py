"""Interactions and visit reports, with "save and copy" of a previous report (CUS-05)."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body, load_query
from crm_customers import customers, history, recycle_due
from crm_customers.models import Interaction
from crm_customers.schemas_more import InteractionIn, InteractionOut, SubListQuery
from crm_customers.subresources import check_contact

COPIED = ("kind", "contact_id", "summary", "next_step", "next_followup_on")


def _add(uow, principal, customer, data, copied_from=None) -> dict:
    data["contact_id"] = check_contact(uow.session, customer, data.get("contact_id"))
    now = utcnow()
    interaction = Interaction(id=new_id(), customer_id=customer.id, author_id=principal.user_id,
                              copied_from_id=copied_from, created_at=now, **{**data, "occurred_at": data.get("occurred_at") or now})
    uow.session.add(interaction)
    # a follow-up restarts the clock of the recycle rule (CUS-07)
    customer.last_activity_at = max(customer.last_activity_at, now)
    uow.session.flush()
    recycle_due.refresh_due(uow.session, customer.id)
    history.record(uow.session, customer.id, "interaction_added", principal.user_id, id=interaction.id,
                   kind=interaction.kind)
    return InteractionOut().dump(interaction)


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(InteractionIn(), payload)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        return _add(uow, principal, customer, data)


def copy(uow, principal: Principal, interaction_id, payload) -> dict:
    """A new report prefilled from an earlier one; the body overrides any field."""
    principal.require("customers.write")
    overrides = load_body(InteractionIn(), payload or {}, partial=True)
    if not is_uuid(interaction_id):
        raise NotFound("Interaction not found")
    with uow:
        previous = uow.session.get(Interaction, str(interaction_id))
        if previous is None:
            raise NotFound("Interaction not found")
        customer = customers.find_parent(uow.session, principal, previous.customer_id, "Interaction",
                                         for_update=True)
        data = {**{k: getattr(previous, k) for k in COPIED}, **overrides}
        return _add(uow, principal, customer, data, copied_from=previous.id)


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require("customers.read")
    q = load_query(SubListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, pool=True)
        stmt = select(Interaction).where(Interaction.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, Interaction.id, q,
                                   {"created_at": Interaction.created_at, "occurred_at": Interaction.occurred_at},
                                   "-occurred_at")
        return {"items": InteractionOut(many=True).dump(rows), "next_cursor": cursor}
