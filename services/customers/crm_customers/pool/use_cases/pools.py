"""Pools as admins set them up (CUS-15): create and change a pool with its rules, name its people.

A pool for a department takes the owned customers of that department's subtree (unless a deeper
department has its own pool); changing which department a pool serves moves them at once. Every
rule change recomputes the recycle dates of the pool's customers in one statement.
"""
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal, in_scope
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_customers.customers.models import Customer
from crm_customers.customers.use_cases import refresh_due
from crm_customers.pool.models import Pool, PoolPerson, PoolRule
from crm_customers.pool.queries import ADMIN, _admin_sees, find_pool, pool_out
from crm_customers.pool.schemas import PoolIn, PoolPeopleIn

DEFAULTS = {"daily_claim_quota": 20, "reclaim_block_days": 0, "owned_limit": None, "locked_limit": None,
            "exempt_won": False, "exempt_open_opportunity": False}


def create(uow, principal: Principal, payload) -> dict:
    principal.require(ADMIN)
    data = load_body(PoolIn(), payload)
    if not data.get("department_path"):
        raise InvalidInput("A new pool serves a department", {"department_path": ["Required."]})
    rules = data.pop("rules", [])
    pool = Pool(id=new_id(), branch=principal.branch, is_default=False, **{**DEFAULTS, **data})
    if not _admin_sees(principal, pool):
        raise InvalidInput("The department is outside your data scope", {"department_path": ["Out of your scope."]})
    with uow:
        uow.session.add(pool)
        _save(uow, pool, rules)
        return pool_out(uow.session, principal, pool)


def update(uow, principal: Principal, pool_id, payload) -> dict:
    principal.require(ADMIN)
    data = load_body(PoolIn(), payload, partial=True)
    with uow:
        pool = find_pool(uow.session, principal, pool_id, for_update=True)
        if "department_path" in data and (pool.is_default or not data["department_path"]):
            raise InvalidInput("The default pool serves the branch; a department pool a department",
                               {"department_path": ["Cannot change." if pool.is_default else "Required."]})
        rules = data.pop("rules", None)
        for key, value in data.items():
            setattr(pool, key, value)
        if not _admin_sees(principal, pool):
            raise InvalidInput("The department is outside your data scope", {"department_path": ["Out of your scope."]})
        pool.updated_at = utcnow()
        _save(uow, pool, rules, moved="department_path" in data)
        return pool_out(uow.session, principal, pool)


def _save(uow, pool: Pool, rules: list | None, moved: bool = True) -> None:
    try:
        uow.session.flush()
    except IntegrityError:
        raise Conflict("Another pool has this name or serves this department",
                       {"name": ["Taken, or the department has a pool."]}) from None
    if rules is not None:
        uow.session.execute(delete(PoolRule).where(PoolRule.pool_id == pool.id))
        uow.session.add_all(PoolRule(pool_id=pool.id, **rule) for rule in rules)
        uow.session.flush()
    # a new or moved pool re-sorts every owned customer into pools; a rule change only its own
    refresh_due(uow.session, ids=None if moved else _members_of(uow.session, pool), pools=moved)


def _members_of(session, pool: Pool) -> list[str]:
    return session.execute(select(Customer.id).where(
        Customer.pool_id == pool.id, Customer.in_pool.is_(False), Customer.deleted_at.is_(None))).scalars().all()


def set_people(uow, principal: Principal, pool_id, payload) -> dict:
    """Replace the pool's members and admins (users the gateway resolved, each in the caller's scope)."""
    principal.require(ADMIN)
    data = load_body(PoolPeopleIn(), payload)
    people = {}
    for role in ("members", "admins"):
        for index, user in enumerate(data[role]):
            if not user["active"] or not in_scope(principal, user["id"], user["department_path"], user["branch"], ADMIN):
                raise InvalidInput("A pool's people are active users in your scope",
                                   {role: {index: ["Inactive, unknown or out of your scope."]}})
            people[user["id"]] = role[:-1]  # an admin named in both lists is an admin
    with uow:
        pool = find_pool(uow.session, principal, pool_id, for_update=True)
        uow.session.execute(delete(PoolPerson).where(PoolPerson.pool_id == pool.id))
        uow.session.add_all(PoolPerson(pool_id=pool.id, user_id=u, role=r) for u, r in people.items())
        uow.session.flush()
        return pool_out(uow.session, principal, pool)
