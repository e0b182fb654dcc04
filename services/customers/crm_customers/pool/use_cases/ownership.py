"""Ownership (CUS-07, CUS-15): assign, transfer one or all, release to and claim from a pool, lock.

Every change goes through `change_owner`: history row + `customers.owner_changed` event.
Target users are resolved by the gateway (it owns users); this service checks that the target
lies inside the caller's data scope, or for a pool's admin, that the target may claim from it.
A claim passes the pool's checks (pool.rules.claim_refusal): its members, the former owner's
wait, the daily quota of the branch day, the limit of owned customers.
"""

from sqlalchemy import delete, func, select, text

from crm_common.errors import Conflict, Forbidden, InvalidInput
from crm_common.principal import SYSTEM_USER_ID, Principal, in_scope, scope_filter
from crm_common import branch_time, teams
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.customers.models import Customer, History
from crm_customers.customers.queries import LIVE, TEAM_KIND, WRITE, find
from crm_customers.db import TEAM
from crm_customers.customers.schemas import CustomerOut
from crm_customers.customers.use_cases import protection_days, record_history, refresh_due
from crm_customers.pool import rules
from crm_customers.pool.models import PoolWarning
from crm_customers.pool.queries import pool_of, roles_of
from crm_customers.pool.schemas import AssignIn, TransferAllIn, TransferAllOut

ASSIGN = "customers.assign"


def change_owner(uow, customer: Customer, *, owner_id, department_path, branch, reason, actor_id,
                 in_pool=False, keep_previous_owner=None, carry_related=False) -> None:
    """`keep_previous_owner`: the access the previous owner keeps as a team member (None: none);
    `carry_related`: sales moves the previous owner's opportunities and contracts of the
    customer along (it follows the event)."""
    previous = customer.owner_id
    now = utcnow()
    customer.owner_id, customer.department_path, customer.branch = owner_id, department_path, branch
    customer.in_pool = in_pool
    customer.last_activity_at = now
    uow.session.execute(delete(PoolWarning).where(PoolWarning.customer_id == customer.id))  # a new owner, new warnings
    customer.locked = False  # a lock is its owner's: the next owner locks under their own limit
    if in_pool:
        customer.protected_until = None
        customer.recycle_due_at = customer.recycle_reason = None
    else:
        customer.owner_since = now
        uow.session.flush()
        refresh_due(uow.session, customer.id)  # its pool may differ under the new owner's department
        days = protection_days(uow.session, customer.id)
        customer.protected_until = branch_time.days_later(now, days, branch_time.zone()) if days else None
        uow.session.flush()
        refresh_due(uow.session, customer.id)
    # the new owner needs no membership; the old one keeps one if asked (never the pool's owner)
    uow.session.execute(delete(TEAM).where(TEAM.c.kind == TEAM_KIND, TEAM.c.record_id == customer.id,
                                           TEAM.c.user_id == owner_id))
    keep = keep_previous_owner if previous not in (SYSTEM_USER_ID, owner_id) and not in_pool else None
    if keep:
        teams.keep_previous_owner(uow.session, TEAM, TEAM_KIND, [customer.id], previous, keep,
                                  actor_id or SYSTEM_USER_ID)
    record_history(uow.session, customer.id, reason, actor_id, previous_owner_id=previous,
                   owner_id=owner_id, department_path=department_path, in_pool=in_pool)
    uow.emit("customers.owner_changed", {
        "customer_id": customer.id, "customer_name": customer.name, "previous_owner_id": previous,
        "reason": reason, "in_pool": in_pool, "changed_by": actor_id or SYSTEM_USER_ID,
        "owner_id": owner_id, "department_path": department_path, "branch": branch,
        "previous_owner_access": keep, "carry_related": bool(carry_related) and not in_pool})


def target_of(principal: Principal, user: dict) -> dict:
    """The resolved target user, or 422 if inactive or outside the caller's scope."""
    if not user.get("active", False):
        raise InvalidInput("The new owner is not an active user", {"owner_id": ["Inactive or unknown user."]})
    if not in_scope(principal, user["id"], user["department_path"], user["branch"]):
        raise InvalidInput("The new owner is outside your data scope", {"owner_id": ["Out of your scope."]})
    return {"owner_id": user["id"], "department_path": user["department_path"], "branch": user["branch"]}


def assign(uow, principal: Principal, customer_id, payload) -> dict:
    """Assign (from a pool) or transfer one customer to a user the gateway resolved. Whoever holds
    customers.assign does both within their scope; a pool's admin assigns from that pool to a user
    who may claim from it."""
    principal.require(WRITE)
    data = load_body(AssignIn(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True, pool=True)
        pool = pool_of(uow.session, customer) if customer.in_pool else None
        roles = roles_of(uow.session, pool.id) if pool else {}
        if principal.has(ASSIGN):
            target = target_of(principal, data["owner"])
        elif pool is not None and rules.may_assign(roles, principal.user_id, False):
            target = pool_target(principal, roles, data["owner"])
        else:
            raise Forbidden("Missing permission customers.assign")
        if customer.owner_id == target["owner_id"] and not customer.in_pool:
            raise Conflict("The customer already belongs to this user")
        if pool is not None:
            refusal = rules.owned_limit_refusal(owned_count(uow.session, target["owner_id"]), pool.owned_limit)
            if refusal:
                raise Conflict("The new owner has reached the limit of owned customers", {"owner_id": [refusal]})
        reason = "assigned" if customer.in_pool else "transferred"
        change_owner(uow, customer, reason=reason, actor_id=principal.user_id, **options_of(data), **target)
        uow.session.flush()
        return CustomerOut().dump(customer)


def pool_target(principal: Principal, roles: dict, user: dict) -> dict:
    """A pool admin's target: an active user of the branch who may claim from the pool."""
    if not user.get("active", False):
        raise InvalidInput("The new owner is not an active user", {"owner_id": ["Inactive or unknown user."]})
    if user["branch"] != principal.branch or not rules.may_claim(roles, user["id"]):
        raise InvalidInput("The new owner may not claim from this pool", {"owner_id": ["Not one of the pool's people."]})
    return {"owner_id": user["id"], "department_path": user["department_path"], "branch": user["branch"]}


def owned_count(session, user_id: str) -> int:
    return session.execute(select(func.count()).select_from(Customer).where(
        Customer.owner_id == user_id, Customer.in_pool.is_(False), *LIVE)).scalar()


def transfer_all(uow, principal: Principal, payload) -> dict:
    """Every customer of one user (e.g. who is leaving) that the caller may see, to another."""
    principal.require(ASSIGN)
    data = load_body(TransferAllIn(), payload)
    target = target_of(principal, data["to"])
    source_id = data["from_"]["id"]
    if source_id == target["owner_id"]:
        raise InvalidInput("Source and target are the same user", {"to_user_id": ["Same as from_user_id."]})
    moved = 0
    with uow:
        rows = uow.session.execute(
            select(Customer).where(Customer.owner_id == source_id, scope_filter(principal, Customer),
                                   Customer.in_pool.is_(False), *LIVE)
            .order_by(Customer.id).with_for_update()).scalars().all()
        for customer in rows:
            change_owner(uow, customer, reason="transferred", actor_id=principal.user_id, **options_of(data),
                         **target)
            moved += 1
    return TransferAllOut().dump({"moved": moved})


def options_of(data: dict) -> dict:
    return {"keep_previous_owner": data.get("keep_previous_owner"), "carry_related": data.get("carry_related", False)}


def release(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    load_body(NoInput(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        if customer.in_pool:
            raise Conflict("The customer is already in the pool")
        if customer.locked:
            raise Conflict("The customer is locked: unlock it before releasing it")
        customer.pool_id = pool_of(uow.session, customer).id
        change_owner(uow, customer, owner_id=SYSTEM_USER_ID, department_path=customer.department_path,
                     branch=customer.branch, reason="released", actor_id=principal.user_id, in_pool=True)
        uow.session.flush()
        return CustomerOut().dump(customer)


def claim(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    load_body(NoInput(), payload)
    with uow:
        # one claimer at a time per user, so parallel claims cannot pass the quota or limit together
        uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"claim:{principal.user_id}"})
        customer = find(uow.session, principal, customer_id, for_update=True, pool=True)
        if not customer.in_pool:
            raise Conflict("The customer is not in the pool")
        pool = pool_of(uow.session, customer)
        if not rules.may_claim(roles_of(uow.session, pool.id), principal.user_id):
            raise Forbidden("Only the pool's members may claim from it")
        now, zone = utcnow(), branch_time.zone()
        today = branch_time.today(now, zone)
        refusal = rules.claim_refusal(
            claims_today=_claims_since(uow.session, principal.user_id, branch_time.start_of_day(today, zone)),
            quota=pool.daily_claim_quota, owned=owned_count(uow.session, principal.user_id),
            owned_limit=pool.owned_limit, today=today,
            blocked_until=rules.reclaim_blocked_until(_left_on(uow.session, customer.id, principal.user_id, zone),
                                                      pool.reclaim_block_days))
        if refusal:
            raise Conflict(*refusal)
        change_owner(uow, customer, owner_id=principal.user_id, department_path=principal.department_path,
                     branch=principal.branch, reason="claimed", actor_id=principal.user_id)
        uow.session.flush()
        return CustomerOut().dump(customer)


def _claims_since(session, user_id: str, start) -> int:
    """The user's claims since `start` (the branch day's first instant), from the history."""
    return session.execute(select(func.count()).select_from(History).where(
        History.actor_id == user_id, History.kind == "claimed", History.created_at >= start)).scalar()


def _left_on(session, customer_id: str, user_id: str, zone):
    """The branch day the customer last left the user for a pool (released or recycled), if it did."""
    left = session.execute(select(func.max(History.created_at)).where(
        History.customer_id == customer_id, History.kind.in_(("released", "recycled")),
        History.data["previous_owner_id"].astext == user_id)).scalar()
    return branch_time.day_of(left, zone) if left else None


def set_lock(uow, principal: Principal, customer_id, payload, locked: bool) -> dict:
    """Lock (锁定): never recycled while locked, within the pool's limit of locked customers per owner."""
    principal.require(WRITE)
    load_body(NoInput(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        if customer.locked == locked:
            raise Conflict(f"The customer is already {'locked' if locked else 'unlocked'}")
        if locked:
            uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"lock:{customer.owner_id}"})
            count = uow.session.execute(select(func.count()).select_from(Customer).where(
                Customer.owner_id == customer.owner_id, Customer.locked.is_(True), *LIVE)).scalar()
            refusal = rules.lock_refusal(count, pool_of(uow.session, customer).locked_limit)
            if refusal:
                raise Conflict("The owner has reached the limit of locked customers", {"locked": [refusal]})
        customer.locked = locked
        record_history(uow.session, customer.id, "locked" if locked else "unlocked", principal.user_id)
        uow.session.flush()
        refresh_due(uow.session, customer.id)
        uow.session.refresh(customer)
        return CustomerOut().dump(customer)
