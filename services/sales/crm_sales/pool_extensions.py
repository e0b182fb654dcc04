"""Protection period extensions (延期, CUS-07) decided through the approval engine (SAL-07).

The request itself lives in the customers service. `customers.extension_requested` opens its
approval here (document type `pool_extension`, document id = the request's id, scope = the
customer's); the final decision goes back as `sales.approval_decided`, which customers applies.
Sales keeps no copy of the request: the approval row is the only thing decisions lock.
"""
from types import SimpleNamespace

from sqlalchemy import or_, select, text

from crm_common.errors import NotFound
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid
from crm_common.validation import load_body
from crm_sales import approvals
from crm_sales.approval_flows import instances_out
from crm_sales.approval_schemas import DecisionIn, InstanceOut, RejectionIn
from crm_sales.models import ApprovalInstance

DOCUMENT_TYPE = "pool_extension"
# The gateway's gate for these routes; who may decide the current step is the flow's business.
APPROVE, READ = "customers.approve_extension", "customers.read"


def open_approval(uow, data: dict) -> None:
    """Handle customers.extension_requested.

    Only the owner may ask, so the owner's department (the customer's) stands for the
    submitter's: `submitter_department` steps go to the head of the owner's department.
    A request is decided once: if it comes again (customers resends those still pending after an
    upgrade), the approval it already has stands.
    """
    # two sendings handled side by side must not both find none
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"pe:{data['request_id']}"})
    if uow.session.execute(select(ApprovalInstance.id).where(
            ApprovalInstance.document_type == DOCUMENT_TYPE,
            ApprovalInstance.document_id == data["request_id"])).first() is not None:
        return
    submitter = Principal(user_id=data["requested_by"], department_path=data["department_path"],
                          branch=data["branch"], scope="own")
    document = SimpleNamespace(id=data["request_id"], number=uow.next_number(f"PE-{data['branch']}"),
                               owner_id=data["owner_id"], department_path=data["department_path"],
                               branch=data["branch"])
    approvals.start(uow, submitter, DOCUMENT_TYPE, document, {
        "customer_id": data["customer_id"], "customer_name": data["customer_name"],
        "customer_level": data["customer_level"], "days": data["days"], "reason": data["reason"]})


def _visible(principal: Principal, request_id):
    """The request's approvals the caller may see: in their customers scope, or theirs to decide."""
    if not is_uuid(request_id):
        raise NotFound("Extension request not found")
    return (ApprovalInstance.document_type == DOCUMENT_TYPE, ApprovalInstance.document_id == str(request_id),
            or_(scope_filter(principal, ApprovalInstance, READ), approvals.actionable_by(principal)))


def _decide(uow, principal: Principal, request_id, action: str, data: dict) -> dict:
    principal.require(APPROVE)
    with uow:
        # Only the id: the row is loaded (and locked) by the engine, never from a stale read.
        if uow.session.execute(select(ApprovalInstance.id).where(*_visible(principal, request_id))).first() is None:
            raise NotFound("Extension request not found")
        approvals.decide(uow, principal, DOCUMENT_TYPE, str(request_id), action, data)
        return InstanceOut().dump(approvals.history(uow.session, DOCUMENT_TYPE, str(request_id))[-1])


def approve(uow, principal: Principal, request_id, payload) -> dict:
    return _decide(uow, principal, request_id, "approve", load_body(DecisionIn(), payload or {}))


def reject(uow, principal: Principal, request_id, payload) -> dict:
    return _decide(uow, principal, request_id, "reject", load_body(RejectionIn(), payload))


def approval_history(uow, principal: Principal, request_id) -> list:
    principal.require(READ)
    with uow:
        instances = uow.session.execute(select(ApprovalInstance).where(*_visible(principal, request_id))
                                        .order_by(ApprovalInstance.created_at)).scalars().all()
        if not instances:
            raise NotFound("Extension request not found")
        return instances_out(instances)
