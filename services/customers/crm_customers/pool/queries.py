"""Reads of the pools: the pools and their people, the customers sitting in them, the default
pool's settings, a customer's extension requests (CUS-07, CUS-15)."""
from sqlalchemy import func, or_, select

from crm_common.errors import NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.customers.models import Customer, History
from crm_customers.customers.queries import LIVE, READ, apply_filters, find, page, record_for_approver, split_custom
from crm_customers.customers.schemas import SubListQuery
from crm_customers.pool import rules
from crm_customers.pool.models import ExtensionRequest, Pool, PoolPerson, PoolRule
from crm_customers.pool.schemas import PoolCustomerOut, PoolListQuery, PoolOut, PoolSettingsOut

ADMIN = "customers.admin"

POOL_REASONS = ("released", "recycled")  # the owner changes that put a customer into the pool


def default_pool(session) -> Pool:
    return session.execute(select(Pool).where(Pool.is_default.is_(True))).scalar_one()


def pool_of(session, customer: Customer) -> Pool:
    """The pool the customer belongs to or sits in (the default one for a record from before pools)."""
    pool = session.get(Pool, customer.pool_id) if customer.pool_id else None
    return pool or default_pool(session)


def roles_of(session, pool_id: str) -> dict[str, str]:
    return dict(session.execute(select(PoolPerson.user_id, PoolPerson.role).where(PoolPerson.pool_id == pool_id)).all())


def claimable_pool_ids(session, principal: Principal):
    """The pools the caller may claim from: open ones (nobody named) and those naming them."""
    named = select(PoolPerson.pool_id)
    mine = select(PoolPerson.pool_id).where(PoolPerson.user_id == principal.user_id)
    return select(Pool.id).where(Pool.branch == principal.branch, or_(Pool.id.not_in(named), Pool.id.in_(mine)))


def list_pool(uow, principal: Principal, query) -> dict:
    """The customers sitting in one pool (`pool_id`), or in every pool the caller may claim from;
    a pool admin sees their pool whether or not they may claim."""
    principal.require(READ)
    plain, custom = split_custom(query)
    q = load_query(PoolListQuery(), plain)
    stmt = select(Customer).where(Customer.in_pool.is_(True), Customer.branch == principal.branch, *LIVE)
    with uow:
        if q.get("pool_id"):
            pool = _visible_pool(uow.session, principal, str(q.pop("pool_id")))
            stmt = stmt.where(_in_pool(uow.session, pool))
        else:
            ids = uow.session.execute(claimable_pool_ids(uow.session, principal)).scalars().all()
            default = default_pool(uow.session)
            stmt = stmt.where(or_(Customer.pool_id.in_(ids), Customer.pool_id.is_(None))
                              if default.id in ids else Customer.pool_id.in_(ids))
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


def _in_pool(session, pool: Pool):
    return Customer.pool_id == pool.id if not pool.is_default else or_(
        Customer.pool_id == pool.id, Customer.pool_id.is_(None))


def settings(uow, principal: Principal) -> dict:
    principal.require(READ)
    with uow:
        return settings_out(uow.session)


def settings_out(session) -> dict:
    """The default pool as the single pool of before looked: its claim limit and follow-up rules."""
    pool = default_pool(session)
    found = session.execute(select(PoolRule).where(PoolRule.pool_id == pool.id,
                                                   PoolRule.days_without_followup.is_not(None))
                            .order_by(PoolRule.value_level)).scalars().all()
    return PoolSettingsOut().dump({"daily_claim_limit": pool.daily_claim_quota, "rules": found})


def _admin_sees(principal: Principal, pool: Pool) -> bool:
    """A pool is in an admin's scope if its department is (the default pool: the branch's)."""
    scope = principal.scope_for(ADMIN)
    if scope == "all":
        return True
    if pool.branch != principal.branch:
        return False
    if scope == "branch":
        return True
    if pool.department_path is None or scope == "own":  # a pool is no one's own record
        return False
    if scope == "subtree":
        return pool.department_path.startswith(principal.department_path)
    return pool.department_path == principal.department_path


def find_pool(session, principal: Principal, pool_id, for_update=False) -> Pool:
    """A pool the caller administers (customers.admin in scope); NotFound otherwise."""
    pool = session.get(Pool, pool_id, with_for_update=for_update) if is_uuid(str(pool_id)) else None
    if pool is None or not _admin_sees(principal, pool):
        raise NotFound("Pool not found")
    return pool


def _visible_pool(session, principal: Principal, pool_id: str) -> Pool:
    """A pool the caller claims from, administers as its admin, or as customers.admin."""
    pool = session.get(Pool, pool_id) if is_uuid(pool_id) else None
    if pool is None:
        raise NotFound("Pool not found")
    roles = roles_of(session, pool.id)
    if rules.may_claim(roles, principal.user_id) and pool.branch == principal.branch:
        return pool
    if principal.has(ADMIN) and _admin_sees(principal, pool):
        return pool
    raise NotFound("Pool not found")


def pool_out(session, principal: Principal, pool: Pool, counts: dict | None = None) -> dict:
    people = roles_of(session, pool.id)
    found = session.execute(select(PoolRule).where(PoolRule.pool_id == pool.id)
                            .order_by(PoolRule.value_level)).scalars().all()
    if counts is None:
        counts = _counts(session, [pool])
    return PoolOut().dump({
        **{k: getattr(pool, k) for k in PoolOut().fields if hasattr(pool, k)}, "rules": found,
        "members": sorted(u for u, r in people.items() if r == "member"),
        "admins": sorted(u for u, r in people.items() if r == "admin"),
        "my_role": people.get(principal.user_id), "may_claim": rules.may_claim(people, principal.user_id),
        "customers": counts.get(pool.id, 0)})


def _counts(session, pools: list[Pool]) -> dict:
    rows = dict(session.execute(select(Customer.pool_id, func.count()).where(
        Customer.in_pool.is_(True), Customer.pool_id.in_([p.id for p in pools]), *LIVE)
        .group_by(Customer.pool_id)).all())
    return rows


def list_pools(uow, principal: Principal) -> dict:
    """The pools the caller claims from or administers (the 公海 screen's picker), default first."""
    principal.require(READ)
    with uow:
        pools = uow.session.execute(select(Pool).order_by(Pool.is_default.desc(), Pool.name)).scalars().all()
        shown = []
        for pool in pools:
            try:
                _visible_pool(uow.session, principal, pool.id)
            except NotFound:
                continue
            shown.append(pool)
        counts = _counts(uow.session, shown)
        return {"items": [pool_out(uow.session, principal, p, counts) for p in shown], "next_cursor": None}


def get_pool(uow, principal: Principal, pool_id) -> dict:
    principal.require(READ)
    with uow:
        return pool_out(uow.session, principal, _visible_pool(uow.session, principal, str(pool_id)))


def extension_out(r: ExtensionRequest) -> dict:
    return {"id": r.id, "customer_id": r.customer_id, "requested_by": r.requested_by, "days": r.days,
            "reason": r.reason, "status": r.status, "decided_by": r.decided_by, "comment": r.comment,
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            "created_at": r.created_at.isoformat() if r.created_at else None}


def get_extension(uow, principal: Principal, request_id, approves) -> dict:
    """One extension request with its customer's name, for whoever sees the customer or decides it."""
    principal.require(READ)
    with uow.reading():
        req, customer = record_for_approver(uow.session, principal, ExtensionRequest, request_id,
                                            rules.EXTENSION_DOCUMENT, approves)
        return {**extension_out(req), "customer_name": customer.name}


def list_extensions(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id)
        stmt = select(ExtensionRequest).where(ExtensionRequest.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, ExtensionRequest.id, q,
                                   {"created_at": ExtensionRequest.created_at}, "-created_at")
        return {"items": [extension_out(r) for r in rows], "next_cursor": cursor}
