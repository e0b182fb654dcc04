"""Hand-over of a departing user (离职交接, issue 14; docs/handover.md): in one action the
customers move here, and `customers.handover_started` has every other service move what the user
owns (crm_common.handovers) and report `<service>.handover_done`; the counts land on the hand-over.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.handovers import FOLLOWERS
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import LIVE
from crm_customers.pool import rules
from crm_customers.pool.models import HandOver
from crm_customers.pool.schemas import HandOverIn, HandOverOut
from crm_customers.pool.use_cases.ownership import change_owner, target_of

PERMISSION = "admin.users"  # the admin who disables the departing user
SERVICES = ("customers", *FOLLOWERS)


def out(handover: HandOver) -> dict:
    return HandOverOut().dump({**{c: getattr(handover, c) for c in (
        "id", "from_user_id", "to_user_id", "requested_by", "status", "counts", "created_at", "done_at")},
        "pending_services": rules.pending_services(handover.counts, SERVICES)})


def start(uow, principal: Principal, payload) -> dict:
    principal.require(PERMISSION)
    data = load_body(HandOverIn(), payload)
    receiver = target_of(principal, data["to"])
    source_id = data["from_"]["id"]
    if source_id == receiver["owner_id"]:
        raise InvalidInput("Source and target are the same user", {"to_user_id": ["Same as the departing user."]})
    with uow:
        rows = uow.session.execute(
            select(Customer).where(Customer.owner_id == source_id, scope_filter(principal, Customer),
                                   Customer.in_pool.is_(False), *LIVE)
            .order_by(Customer.id).with_for_update()).scalars().all()
        for customer in rows:
            change_owner(uow, customer, reason="handed_over", actor_id=principal.user_id, **receiver)
        counts = {"customers": {"customers": len(rows)}}
        handover = HandOver(id=new_id(), from_user_id=source_id, to_user_id=receiver["owner_id"],
                            requested_by=principal.user_id, branch=principal.branch, counts=counts,
                            status=rules.handover_status(counts, SERVICES), created_at=utcnow())
        uow.session.add(handover)
        uow.emit("customers.handover_started", {"handover_id": handover.id, "from_user_id": source_id,
                                                "requested_by": principal.user_id, **receiver})
        uow.session.flush()
        return out(handover)


def record_done(uow, service: str, data: dict) -> None:
    """A service reported what it handed over (the handler runs once per event)."""
    handover = uow.session.get(HandOver, data["handover_id"], with_for_update=True)
    if handover is None:
        return
    handover.counts = {**handover.counts, service: data["counts"]}
    handover.status = rules.handover_status(handover.counts, SERVICES)
    if handover.status == "done" and handover.done_at is None:
        handover.done_at = utcnow()


def get(uow, principal: Principal, handover_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        handover = uow.session.get(HandOver, str(handover_id)) if is_uuid(handover_id) else None
        if handover is None or handover.branch != principal.branch and principal.scope != "all":
            raise NotFound("Hand-over not found")
        return out(handover)
