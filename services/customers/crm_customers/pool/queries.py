"""Reads of the pool: the branch's pool list, its settings, a customer's extension requests (CUS-07)."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.customers.models import Customer, History
from crm_customers.customers.queries import LIVE, READ, apply_filters, find, page, split_custom
from crm_customers.customers.schemas import SubListQuery
from crm_customers.pool.models import ExtensionRequest, PoolSettings, RecycleRule
from crm_customers.pool.schemas import PoolCustomerOut, PoolListQuery, PoolSettingsOut

POOL_REASONS = ("released", "recycled")  # the owner changes that put a customer into the pool


def list_pool(uow, principal: Principal, query) -> dict:
    principal.require(READ)
    plain, custom = split_custom(query)
    q = load_query(PoolListQuery(), plain)
    stmt = select(Customer).where(Customer.in_pool.is_(True), Customer.branch == principal.branch, *LIVE)
    with uow:
        stmt = apply_filters(uow.session, stmt, q, custom)
        rows, cursor = page(uow.session, stmt, q)
        arrivals = _pool_arrivals(uow.session, [row.id for row in rows])
        return {"items": [{**PoolCustomerOut().dump(row), **arrivals.get(row.id, {})} for row in rows],
                "next_cursor": cursor}


def _pool_arrivals(session, customer_ids: list[str]) -> dict:
    """{customer id: {pool_reason, pooled_at}} from the history row of the latest move into the pool."""
    rows = session.execute(
        select(History.customer_id, History.kind, History.created_at)
        .where(History.customer_id.in_(customer_ids), History.kind.in_(POOL_REASONS))
        .order_by(History.customer_id, History.created_at.desc(), History.id.desc())
        .distinct(History.customer_id)).all()
    return {row.customer_id: {"pool_reason": row.kind, "pooled_at": row.created_at.isoformat()} for row in rows}


def settings(uow, principal: Principal) -> dict:
    principal.require(READ)
    with uow:
        return settings_out(uow.session)


def settings_out(session) -> dict:
    rules = session.execute(select(RecycleRule).order_by(RecycleRule.value_level)).scalars().all()
    return PoolSettingsOut().dump({"daily_claim_limit": session.get(PoolSettings, 1).daily_claim_limit,
                                   "rules": rules})


def extension_out(r: ExtensionRequest) -> dict:
    return {"id": r.id, "customer_id": r.customer_id, "requested_by": r.requested_by, "days": r.days,
            "reason": r.reason, "status": r.status, "decided_by": r.decided_by, "comment": r.comment,
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            "created_at": r.created_at.isoformat() if r.created_at else None}


def list_extensions(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id)
        stmt = select(ExtensionRequest).where(ExtensionRequest.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, ExtensionRequest.id, q,
                                   {"created_at": ExtensionRequest.created_at}, "-created_at")
        return {"items": [extension_out(r) for r in rows], "next_cursor": cursor}
