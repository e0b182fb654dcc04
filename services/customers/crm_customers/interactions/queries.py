from datetime import timedelta

from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import LIVE, READ, find, in_scope_or_team
from crm_customers.customers.schemas import SubListQuery
from crm_customers.interactions.models import Interaction
from crm_customers.interactions.schemas import InteractionOut, InteractionsQuery

SORTS = {"created_at": Interaction.created_at, "occurred_at": Interaction.occurred_at}


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id, pool=True)
        rows, cursor = keyset_page(uow.session, listed(customer.id), Interaction.id, q, SORTS, "-occurred_at")
        return {"items": InteractionOut.shared(many=True).dump(rows), "next_cursor": cursor}


def listed(customer_id: str):
    return select(Interaction).where(Interaction.customer_id == customer_id)


def list_all(uow, principal: Principal, query) -> dict:
    """Every interaction of the customers the caller may see, filtered, newest first, each with
    its customer's name: the visit reports (拜访日报) of a team."""
    principal.require(READ)
    q = load_query(InteractionsQuery(), query)
    stmt = select(Interaction).join(Customer, Interaction.customer_id == Customer.id).where(
        in_scope_or_team(principal), *LIVE)
    for field in ("kind", "author_id", "customer_id", "contact_id"):
        if field in q:
            stmt = stmt.where(getattr(Interaction, field) == str(q[field]))
    zone = branch_time.zone()
    if "since" in q:
        stmt = stmt.where(Interaction.occurred_at >= branch_time.end_of_day(q["since"] - timedelta(days=1), zone))
    if "until" in q:
        stmt = stmt.where(Interaction.occurred_at < branch_time.end_of_day(q["until"], zone))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Interaction.id, q, SORTS, "-occurred_at")
        names = dict(uow.session.execute(select(Customer.id, Customer.name).where(
            Customer.id.in_({row.customer_id for row in rows}))).all()) if rows else {}
        return {"items": [{**InteractionOut().dump(row), "customer_name": names[row.customer_id]} for row in rows],
                "next_cursor": cursor}


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
