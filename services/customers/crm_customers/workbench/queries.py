"""Lists for the workbench, inside the caller's scope for customers.read."""
from datetime import timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import aliased

from crm_common import branch_time
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import utcnow
from crm_common.validation import load_query
from crm_customers.customers import queries as customer_query
from crm_customers.customers.models import Customer
from crm_customers.customers.schemas import CustomerOut
from crm_customers.interactions.models import Interaction
from crm_customers.workbench.schemas import FollowUpOut, FollowUpQuery, RecycleDueQuery

READ = "customers.read"


def recycle_due(uow, principal: Principal, query) -> dict:
    """Owned customers that fall back to the pool by the end of the N-th day from today, soonest
    first (the stored `recycle_due_at`, on its partial index)."""
    principal.require(READ)
    q = load_query(RecycleDueQuery(), query)
    zone = branch_time.zone()
    until = branch_time.end_of_day(branch_time.today(utcnow(), zone) + timedelta(days=q["within_days"]), zone)
    stmt = customer_query.visible(principal).where(Customer.recycle_due_at.is_not(None),
                                                   Customer.recycle_due_at < until)
    if "owner_id" in q:
        stmt = stmt.where(Customer.owner_id == str(q["owner_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Customer.id, q,
                                   {"recycle_due_at": Customer.recycle_due_at}, "recycle_due_at")
        return {"items": CustomerOut(many=True).dump(rows), "next_cursor": cursor}


def follow_ups(uow, principal: Principal, query) -> dict:
    """Customers whose latest interaction asks for a follow-up on or before `due_by`: a later
    interaction is the follow-up, so it takes the customer off the list (or sets a new date)."""
    principal.require(READ)
    q = load_query(FollowUpQuery(), query)
    due_by = q.get("due_by") or branch_time.today(utcnow(), branch_time.zone())
    later = aliased(Interaction)
    superseded = select(later.id).where(
        later.customer_id == Interaction.customer_id,
        tuple_(later.occurred_at, later.id) > tuple_(Interaction.occurred_at, Interaction.id)).exists()
    stmt = (select(Interaction).join(Customer, Customer.id == Interaction.customer_id)
            .where(scope_filter(principal, Customer, READ), Customer.in_pool.is_(False), *customer_query.LIVE,
                   Interaction.next_followup_on <= due_by, ~superseded))
    if "owner_id" in q:
        stmt = stmt.where(Customer.owner_id == str(q["owner_id"]))
    with uow:
        s = uow.session
        rows, cursor = keyset_page(s, stmt, Interaction.id, q,
                                   {"next_followup_on": Interaction.next_followup_on}, "next_followup_on")
        names = dict(s.execute(select(Customer.id, Customer.name).where(
            Customer.id.in_({row.customer_id for row in rows}))).all())
        items = [{**FollowUpOut().dump(row), "customer_name": names[row.customer_id]} for row in rows]
        return {"items": items, "next_cursor": cursor}
