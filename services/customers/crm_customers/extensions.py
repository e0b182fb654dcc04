"""Protection period extension requests (延期, CUS-07).

Approval lives here until the generic approval engine (sales, issue 4) exists: a user holding
`customers.approve_extension` whose data scope covers the customer decides. Integration point:
`decide()` is what an approval-engine callback would call.
"""
from datetime import timedelta

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body
from crm_customers import customers, history, recycle_due
from crm_customers.pool_models import ExtensionRequest
from crm_customers.schemas_more import DecisionIn, ExtensionIn

APPROVE = "customers.approve_extension"


def _out(r: ExtensionRequest) -> dict:
    return {"id": r.id, "customer_id": r.customer_id, "requested_by": r.requested_by, "days": r.days,
            "reason": r.reason, "status": r.status, "decided_by": r.decided_by, "comment": r.comment,
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
            "created_at": r.created_at.isoformat() if r.created_at else None}


def _scope(c) -> dict:
    return {"owner_id": c.owner_id, "department_path": c.department_path, "branch": c.branch}


def request(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(ExtensionIn(), payload)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        if customer.owner_id != principal.user_id:
            raise Conflict("Only the owner can ask to extend the protection period")
        pending = uow.session.execute(select(ExtensionRequest.id).where(
            ExtensionRequest.customer_id == customer.id, ExtensionRequest.status == "pending")).first()
        if pending:
            raise Conflict("An extension request is already pending for this customer")
        req = ExtensionRequest(id=new_id(), customer_id=customer.id, requested_by=principal.user_id,
                               status="pending", created_at=utcnow(), **data)
        uow.session.add(req)
        history.record(uow.session, customer.id, "extension_requested", principal.user_id, days=data["days"])
        uow.emit("customers.extension_requested", {
            "request_id": req.id, "customer_id": customer.id, "customer_name": customer.name,
            "days": req.days, "requested_by": principal.user_id, **_scope(customer)})
        uow.session.flush()
        return _out(req)


def list_for(uow, principal: Principal, customer_id, query=None) -> dict:
    principal.require("customers.read")
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        rows = uow.session.execute(select(ExtensionRequest).where(ExtensionRequest.customer_id == customer.id)
                                   .order_by(ExtensionRequest.created_at.desc())).scalars().all()
        return {"items": [_out(r) for r in rows], "next_cursor": None}


def decide(uow, principal: Principal, request_id, payload, *, approve: bool) -> dict:
    principal.require(APPROVE)
    data = load_body(DecisionIn(), payload or {})
    if not is_uuid(request_id):
        raise NotFound("Extension request not found")
    with uow:
        req = uow.session.get(ExtensionRequest, str(request_id), with_for_update=True)
        if req is None:
            raise NotFound("Extension request not found")
        customer = customers.find(uow.session, principal, req.customer_id, for_update=True)  # scope → 404
        if req.status != "pending":
            raise Conflict(f"The request is already {req.status}")
        # Holding the approving permission does not make one's own request approved; turning it
        # down stays allowed, it is a withdrawal (found by the authorization matrix, issue 7).
        if approve and req.requested_by == principal.user_id:
            raise Forbidden("One cannot approve one's own extension request")
        req.status = "approved" if approve else "rejected"
        req.decided_by, req.decided_at, req.comment = principal.user_id, utcnow(), data.get("comment")
        if approve:
            start = max(filter(None, [customer.protected_until, utcnow()]))
            customer.protected_until = start + timedelta(days=req.days)
            uow.session.flush()
            recycle_due.refresh_due(uow.session, customer.id)
        history.record(uow.session, customer.id, f"extension_{req.status}", principal.user_id,
                       days=req.days, protected_until=customer.protected_until)
        uow.emit("customers.extension_decided", {
            "request_id": req.id, "customer_id": customer.id, "approved": approve,
            "decided_by": principal.user_id, "protected_until": customer.protected_until,
            **_scope(customer)})
        uow.session.flush()
        return _out(req)
