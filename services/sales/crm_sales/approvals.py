"""The approval engine (SAL-07): one engine for every document type.

A document use case locks its document row (FOR UPDATE), then calls `start` on submit and
`decide` on approve/reject inside the same unit of work, so concurrent decisions on one step
are serialised by the document's row lock: exactly one wins, the others find the step
already decided (409). Documents kept by another service (pool extensions) have no row
here: their decisions lock the approval row itself, which serialises them the same way.
Each step entered emits `sales.approval_requested`, which workspace turns into a notification
for whoever may act on it; the end of an approval emits `sales.approval_decided`.
"""
from types import SimpleNamespace

from sqlalchemy import and_, or_, select

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden
from crm_common.principal import SYSTEM_USER_ID, Principal, scope_filter
from crm_common.records import utcnow
from crm_sales import approval_rules as rules
from crm_sales.models import ApprovalAction, ApprovalFlow, ApprovalInstance

# Used while an admin has not configured a flow for the document type: one step for anyone
# holding the approving permission whose scope covers the document.
DEFAULT_FLOWS = {
    "order": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Approval", "conditions": {}, "approver": {"permission": "orders.approve", "target": "document"}}]},
    "discount": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Discount approval", "conditions": {},
         "approver": {"permission": "orders.approve", "target": "document"}}]},
    "contract": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Contract approval", "conditions": {},
         "approver": {"permission": "contracts.approve", "target": "document"}}]},
    "return": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Return approval", "conditions": {},
         "approver": {"permission": "orders.approve", "target": "document"}}]},
    "contract_change": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Change order approval", "conditions": {},
         "approver": {"permission": "contracts.approve", "target": "document"}}]},
    "contract_termination": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Termination approval", "conditions": {},
         "approver": {"permission": "contracts.approve", "target": "document"}}]},
    # Whoever decided extensions inside the customers service before the engine took them over.
    "pool_extension": {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Extension approval", "conditions": {},
         "approver": {"permission": "customers.approve_extension", "target": "document"}}]},
}


def _flow(session, document_type: str) -> dict:
    flow = session.execute(select(ApprovalFlow).where(ApprovalFlow.document_type == document_type)
                           ).scalar_one_or_none()
    if flow is not None:
        return {"allow_self_approval": flow.allow_self_approval, "version": flow.version, "steps": flow.steps}
    return DEFAULT_FLOWS.get(document_type, {"allow_self_approval": False, "version": 0, "steps": []})


def _enter_step(uow, instance: ApprovalInstance, index: int) -> None:
    step = instance.steps[index]
    approver = step["approver"]
    instance.current_step = index
    instance.current_permission = approver.get("permission")
    instance.current_user_id = approver.get("user_id")
    instance.target_path = rules.target_path(step, instance.department_path, instance.submitter_department_path)
    uow.emit("sales.approval_requested", {
        "approval_id": instance.id, "document_type": instance.document_type,
        "document_id": instance.document_id, "document_number": instance.document_number,
        "step_index": index, "step_name": step["name"], "amount": instance.facts.get("amount", "0.00"),
        "currency": instance.facts.get("currency", "CNY"),
        "audience_permission": instance.current_permission, "recipient_user_id": instance.current_user_id,
        # The notification is scoped to the step's target department, not the document's.
        "owner_id": instance.owner_id, "department_path": instance.target_path, "branch": instance.branch,
    })


def _record(instance, principal, action, comment=None, step=None):
    name = instance.steps[step]["name"] if step is not None else None
    instance.actions.append(ApprovalAction(id=new_id(), step_index=step, step_name=name, actor_id=principal.user_id,
                                           action=action, comment=comment, created_at=utcnow()))


def _end(uow, instance: ApprovalInstance, status: str, decided_by: str, comment=None) -> None:
    instance.status, instance.decided_at = status, utcnow()
    instance.current_permission = instance.current_user_id = instance.target_path = None
    uow.emit("sales.approval_decided", {
        "approval_id": instance.id, "document_type": instance.document_type,
        "document_id": instance.document_id, "document_number": instance.document_number,
        "outcome": status, "comment": comment, "decided_by": decided_by,
        "owner_id": instance.owner_id, "department_path": instance.department_path, "branch": instance.branch,
    })


def start(uow, principal: Principal, document_type: str, document, facts: dict) -> ApprovalInstance:
    """Open the approval of a just-submitted document; status is already 'approved' if no step applies."""
    flow = _flow(uow.session, document_type)
    steps = rules.snapshot(flow["steps"], facts)
    if facts.get("discount_over_limit"):
        # A discount beyond the submitter's position limit is never refused: it adds the
        # discount flow's steps instead.
        steps += rules.snapshot(_flow(uow.session, "discount")["steps"], facts)
    instance = ApprovalInstance(
        id=new_id(), document_type=document_type, document_id=document.id, document_number=document.number,
        flow_version=flow["version"], allow_self_approval=flow["allow_self_approval"], steps=steps,
        facts=facts, submitter_id=principal.user_id, submitter_department_path=principal.department_path,
        status="pending", owner_id=document.owner_id,
        department_path=document.department_path, branch=document.branch, actions=[])
    uow.session.add(instance)
    _record(instance, principal, "submit")
    if steps:
        _enter_step(uow, instance, 0)
    else:
        _end(uow, instance, "approved", SYSTEM_USER_ID, "No approval step applies")
    return instance


def pending_of(session, document_type: str, document_id: str) -> ApprovalInstance | None:
    return session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id,
        ApprovalInstance.status == "pending").with_for_update()).scalar_one_or_none()


def decide(uow, principal: Principal, document_type: str, document_id: str, action: str, data: dict) -> str:
    """Approve or reject the current step; returns the approval's status afterwards.

    The caller holds the document's row lock, which serialises every decision on it.
    """
    instance = pending_of(uow.session, document_type, document_id)
    if instance is None:
        raise Conflict("This document is not waiting for approval")
    index = instance.current_step
    if "step" in data and data["step"] != index:
        raise Conflict(f"Step {data['step']} was already decided; the document is at step {index}")
    if not rules.may_act(principal, permission=instance.current_permission, user_id=instance.current_user_id,
                         owner_id=instance.owner_id, target=instance.target_path, branch=instance.branch):
        raise Forbidden("You are not an approver of the current step")
    if principal.user_id == instance.submitter_id and not instance.allow_self_approval:
        raise Forbidden("This flow forbids approving one's own document")
    if any(a.actor_id == principal.user_id and a.action == "approve" for a in instance.actions):
        raise Conflict("You already approved a step of this document")
    _record(instance, principal, action, data.get("comment"), index)
    if action == "reject":
        _end(uow, instance, "rejected", principal.user_id, data.get("comment"))
    elif index + 1 < len(instance.steps):
        _enter_step(uow, instance, index + 1)
    else:
        _end(uow, instance, "approved", principal.user_id, data.get("comment"))
    return instance.status


def withdraw(uow, principal: Principal, document_type: str, document_id: str) -> None:
    """A cancelled document's pending approval ends too."""
    instance = pending_of(uow.session, document_type, document_id)
    if instance is not None:
        _record(instance, principal, "withdraw")
        instance.status, instance.decided_at = "withdrawn", utcnow()
        instance.current_permission = instance.current_user_id = instance.target_path = None


def history(session, document_type: str, document_id: str) -> list[ApprovalInstance]:
    return list(session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id
    ).order_by(ApprovalInstance.created_at)).scalars())


def actionable_by(principal: Principal):
    """SQL twin of approval_rules.may_act for listing the caller's pending approvals."""
    by_target = SimpleNamespace(owner_id=ApprovalInstance.owner_id, department_path=ApprovalInstance.target_path,
                                branch=ApprovalInstance.branch)
    return and_(ApprovalInstance.status == "pending", or_(
        ApprovalInstance.current_user_id == principal.user_id,
        and_(ApprovalInstance.current_permission.in_(sorted(principal.permissions)),
             scope_filter(principal, by_target))))
