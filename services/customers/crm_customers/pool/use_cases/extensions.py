"""Protection period extension requests (延期, CUS-07).

The request is kept here; its approval runs in the sales approval engine (SAL-07, document
type `pool_extension`): `customers.extension_requested` opens it there, and the engine's
`sales.approval_decided` comes back to `apply_decision`. Without a configured flow the engine's
default step is a holder of `customers.approve_extension` whose scope covers the customer.
"""
import json
import logging

from sqlalchemy import select, text

from crm_common import branch_time, config
from crm_common.database import new_id
from crm_common.events.catalog import build_envelope
from crm_common.errors import Conflict
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import WRITE, find
from crm_customers.customers.use_cases import record_history, refresh_due
from crm_customers.pool.models import ExtensionRequest
from crm_customers.pool.queries import extension_out
from crm_customers.pool.rules import EXTENSION
from crm_customers.pool.schemas import ExtensionIn

log = logging.getLogger(__name__)


def _scope(c) -> dict:
    return {"owner_id": c.owner_id, "department_path": c.department_path, "branch": c.branch}


def request(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(ExtensionIn(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        if customer.owner_id != principal.user_id:
            raise Conflict("Only the owner can ask to extend the protection period")
        pending = uow.session.execute(select(ExtensionRequest.id).where(
            ExtensionRequest.customer_id == customer.id, ExtensionRequest.status == "pending")).first()
        if pending:
            raise Conflict("An extension request is already pending for this customer")
        req = ExtensionRequest(id=new_id(), customer_id=customer.id, requested_by=principal.user_id,
                               status="pending", created_at=utcnow(), **data)
        uow.session.add(req)
        record_history(uow.session, customer.id, "extension_requested", principal.user_id, days=data["days"])
        uow.emit("customers.extension_requested", {
            "request_id": req.id, "customer_id": customer.id, "customer_name": customer.name,
            "customer_level": customer.value_level, "days": req.days, "reason": req.reason,
            "requested_by": principal.user_id, **_scope(customer)})
        uow.session.flush()
        return extension_out(req)


def apply_decision(uow, data: dict) -> None:
    """Handle sales.approval_decided for a pool extension: the engine's outcome becomes the request's."""
    req = uow.session.get(ExtensionRequest, data["document_id"], with_for_update=True)
    if req is None:  # purged with its customer while the approval ran
        log.warning("approval %s decided extension request %s, which is gone", data["approval_id"],
                    data["document_id"])
        return
    if not EXTENSION.can(req.status, data["outcome"]):
        # a second decision for one request (two approvals of it) must not extend twice
        log.warning("approval %s decided extension request %s, which is already %s: nothing changes",
                    data["approval_id"], req.id, req.status)
        return
    customer = uow.session.get(Customer, req.customer_id, with_for_update=True)
    approve = data["outcome"] == "approved"
    EXTENSION.apply(req, data["outcome"])
    req.decided_by, req.decided_at, req.comment = data["decided_by"], utcnow(), data["comment"]
    if approve:
        start = max(filter(None, [customer.protected_until, utcnow()]))
        customer.protected_until = branch_time.days_later(start, req.days, branch_time.zone())
        uow.session.flush()
        refresh_due(uow.session, customer.id)
    record_history(uow.session, customer.id, f"extension_{req.status}", req.decided_by,
                   days=req.days, protected_until=customer.protected_until, approval_id=data["approval_id"])
    uow.emit("customers.extension_decided", {
        "request_id": req.id, "customer_id": customer.id, "approved": approve,
        "decided_by": req.decided_by, "protected_until": customer.protected_until,
        "customer_name": customer.name, "requested_by": req.requested_by, "days": req.days, **_scope(customer)})


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
