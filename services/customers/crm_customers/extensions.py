"""Protection period extension requests (延期, CUS-07).

The request is kept here; its approval runs in the sales approval engine (SAL-07, document
type `pool_extension`): `customers.extension_requested` opens it there, and the engine's
`sales.approval_decided` comes back to `apply_decision`. Without a configured flow the engine's
default step is a holder of `customers.approve_extension` whose scope covers the customer.
"""
import json
import logging
from datetime import timedelta

from sqlalchemy import select, text

from crm_common import config
from crm_common.database import new_id
from crm_common.events.catalog import build_envelope
from crm_common.errors import Conflict
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body, load_query
from crm_customers import customers, history, recycle_due
from crm_customers.models import Customer
from crm_customers.pool_models import ExtensionRequest
from crm_customers.schemas_more import ExtensionIn, SubListQuery

log = logging.getLogger(__name__)


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
            "customer_level": customer.value_level, "days": req.days, "reason": req.reason,
            "requested_by": principal.user_id, **_scope(customer)})
        uow.session.flush()
        return _out(req)


def list_for(uow, principal: Principal, customer_id, query) -> dict:
    principal.require("customers.read")
    q = load_query(SubListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        stmt = select(ExtensionRequest).where(ExtensionRequest.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, ExtensionRequest.id, q,
                                   {"created_at": ExtensionRequest.created_at}, "-created_at")
        return {"items": [_out(r) for r in rows], "next_cursor": cursor}


def apply_decision(uow, data: dict) -> None:
    """Handle sales.approval_decided for a pool extension: the engine's outcome becomes the request's."""
    req = uow.session.get(ExtensionRequest, data["document_id"], with_for_update=True)
    if req is None:  # purged with its customer while the approval ran
        log.warning("approval %s decided extension request %s, which is gone", data["approval_id"],
                    data["document_id"])
        return
    customer = uow.session.get(Customer, req.customer_id, with_for_update=True)
    approve = data["outcome"] == "approved"
    req.status = data["outcome"]
    req.decided_by, req.decided_at, req.comment = data["decided_by"], utcnow(), data["comment"]
    if approve:
        start = max(filter(None, [customer.protected_until, utcnow()]))
        customer.protected_until = start + timedelta(days=req.days)
        uow.session.flush()
        recycle_due.refresh_due(uow.session, customer.id)
    history.record(uow.session, customer.id, f"extension_{req.status}", req.decided_by,
                   days=req.days, protected_until=customer.protected_until, approval_id=data["approval_id"])
    uow.emit("customers.extension_decided", {
        "request_id": req.id, "customer_id": customer.id, "approved": approve,
        "decided_by": req.decided_by, "protected_until": customer.protected_until, **_scope(customer)})


def resubmit_pending(connection) -> list[str]:
    """Send the requests still pending to the sales engine again (alembic 0005); the event ids.

    They were made while customers decided requests itself, so sales never opened their approval.
    Plain SQL on the migration's connection: this runs before the models' later columns exist.
    Sales keeps the approval a request already has, so sending one twice changes nothing.
    """
    pending = connection.execute(text(
        "SELECT r.id AS request_id, r.customer_id, c.name AS customer_name, c.value_level AS customer_level,"
        " r.days, r.reason, r.requested_by, c.owner_id, c.department_path, c.branch"
        " FROM extension_requests r JOIN customers c ON c.id = r.customer_id WHERE r.status = 'pending'"
    )).mappings().all()
    sent = []
    for row in pending:
        envelope = build_envelope("customers.extension_requested", dict(row), config.branch(), None)
        connection.execute(text("INSERT INTO outbox (event_id, name, envelope) VALUES (:id, :name, CAST(:envelope AS jsonb))"),
                           {"id": envelope["event_id"], "name": envelope["name"], "envelope": json.dumps(envelope)})
        sent.append(envelope["event_id"])
    return sent
