"""Interactions and visit reports, with "save and copy" of a previous report (CUS-05)."""
from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body
from crm_customers.contacts.queries import check_contact
from crm_customers.customers.queries import WRITE, find, find_parent
from crm_customers.customers.use_cases import record_history, refresh_due
from crm_customers.interactions.models import Interaction
from crm_customers.interactions.schemas import InteractionIn, InteractionOut

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
    refresh_due(uow.session, customer.id)
    record_history(uow.session, customer.id, "interaction_added", principal.user_id, id=interaction.id,
                   kind=interaction.kind)
    uow.emit("customers.interaction_recorded", {  # the report pack counts follow-ups by their author
        "interaction_id": interaction.id, "customer_id": customer.id, "kind": interaction.kind,
        "occurred_at": interaction.occurred_at, "owner_id": principal.user_id,
        "department_path": principal.department_path, "branch": principal.branch})
    return InteractionOut().dump(interaction)


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(InteractionIn(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        return _add(uow, principal, customer, data)


def copy(uow, principal: Principal, interaction_id, payload) -> dict:
    """A new report prefilled from an earlier one; the body overrides any field."""
    principal.require(WRITE)
    overrides = load_body(InteractionIn(), payload or {}, partial=True)
    if not is_uuid(interaction_id):
        raise NotFound("Interaction not found")
    with uow:
        previous = uow.session.get(Interaction, str(interaction_id))
        if previous is None:
            raise NotFound("Interaction not found")
        customer = find_parent(uow.session, principal, previous.customer_id, "Interaction",
                                         for_update=True)
        data = {**{k: getattr(previous, k) for k in COPIED}, **overrides}
        return _add(uow, principal, customer, data, copied_from=previous.id)
