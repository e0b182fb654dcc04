from sqlalchemy import func, select

from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import READ, find
from crm_customers.customers.schemas import SubListQuery
from crm_customers.interactions.models import Interaction
from crm_customers.interactions.schemas import InteractionOut


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id, pool=True)
        stmt = select(Interaction).where(Interaction.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, Interaction.id, q,
                                   {"created_at": Interaction.created_at, "occurred_at": Interaction.occurred_at},
                                   "-occurred_at")
        return {"items": InteractionOut.shared(many=True).dump(rows), "next_cursor": cursor}


def recent(limit: int, customer=Customer):
    """The customer's latest interactions, newest first, for its detail view (a
    folding.json_list inside the statement that reads `customer`)."""
    return json_list(Interaction, Interaction.customer_id == customer.id, order_by=(Interaction.created_at.desc(),),
                     limit=limit, correlate=customer)


def dump_recent(raw) -> list[dict]:
    return InteractionOut.shared(many=True).dump(rows(Interaction, raw))


def count(customer=Customer):
    return select(func.count()).select_from(Interaction).where(Interaction.customer_id == customer.id) \
        .correlate(customer).scalar_subquery()
