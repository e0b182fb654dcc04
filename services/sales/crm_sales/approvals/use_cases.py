"""The approval engine (SAL-07): one engine for every document type, and the use cases around it
(flow configuration by admins, decisions on pool extensions kept by the customers service).

A document use case locks its document row (FOR UPDATE), then calls `start` on submit and
`decide` on approve/reject inside the same unit of work, so concurrent decisions on one step
are serialised by the document's row lock: exactly one wins, the others find the step
already decided (409). Documents kept by another service (pool extensions) have no row
here: their decisions lock the approval row itself, which serialises them the same way.
Each step entered emits `sales.approval_requested`, which workspace turns into a notification
for whoever may act on it; the end of an approval emits `sales.approval_decided` (or
`sales.approval_withdrawn` when its document is cancelled), which resolves those notifications.
"""
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, NotFound
from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_sales.approvals import queries, rules
from crm_sales.approvals.models import ApprovalAction, ApprovalFlow, ApprovalInstance
from crm_sales.approvals.schemas import DecisionIn, FlowIn, FlowOut, FlowUpdateIn, InstanceOut, RejectionIn
from crm_sales.db import jsonable


# --- the engine, called by the use cases of every document ------------------------------------

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


def _stop(instance: ApprovalInstance, action: str) -> None:
    rules.LIFECYCLE.apply(instance, action)
    instance.decided_at = utcnow()
    instance.current_permission = instance.current_user_id = instance.target_path = None


def _end(uow, instance: ApprovalInstance, action: str, decided_by: str, comment=None) -> None:
    _stop(instance, action)
    uow.emit("sales.approval_decided", {
        "approval_id": instance.id, "document_type": instance.document_type,
        "document_id": instance.document_id, "document_number": instance.document_number,
        "outcome": instance.status, "comment": comment, "decided_by": decided_by,
        "owner_id": instance.owner_id, "department_path": instance.department_path, "branch": instance.branch,
    })


def start(uow, principal: Principal, document_type: str, document, facts: dict) -> ApprovalInstance:
    """Open the approval of a just-submitted document; status is already 'approved' if no step applies."""
    flow = queries.flow_of(uow.session, document_type)
    steps = rules.snapshot(flow["steps"], facts)
    if facts.get("discount_over_limit"):
        # A discount beyond the submitter's position limit is never refused: it adds the
        # discount flow's steps instead.
        steps += rules.snapshot(queries.flow_of(uow.session, "discount")["steps"], facts)
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
        _end(uow, instance, "approve", SYSTEM_USER_ID, "No approval step applies")
    return instance


def decide(uow, principal: Principal, document_type: str, document_id: str, action: str, data: dict) -> str:
    """Approve or reject the current step; returns the approval's status afterwards.

    The caller holds the document's row lock, which serialises every decision on it.
    """
    instance = queries.pending_of(uow.session, document_type, document_id)
    if instance is None:
        raise Conflict("This document is not waiting for approval")
    index = instance.current_step
    current = rules.step_label(instance.steps, index)
    if "step" in data and data["step"] != index + 1:
        raise Conflict(f"Step {data['step']} is not the one waiting; the document is at {current}")
    if not queries.may_act(principal, permission=instance.current_permission, user_id=instance.current_user_id,
                         owner_id=instance.owner_id, target=instance.target_path, branch=instance.branch):
        raise Forbidden(f"You are not an approver of the current step, {current}")
    if principal.user_id == instance.submitter_id and not instance.allow_self_approval:
        raise Forbidden("This flow forbids approving one's own document")
    if any(a.actor_id == principal.user_id and a.action == "approve" for a in instance.actions):
        raise Conflict("You already approved a step of this document")
    _record(instance, principal, action, data.get("comment"), index)
    if action == "reject":
        _end(uow, instance, "reject", principal.user_id, data.get("comment"))
    elif index + 1 < len(instance.steps):
        _enter_step(uow, instance, index + 1)
    else:
        _end(uow, instance, "approve", principal.user_id, data.get("comment"))
    return instance.status


def withdraw(uow, principal: Principal, document_type: str, document_id: str) -> None:
    """A cancelled document's pending approval ends too; its approvers stop being asked."""
    instance = queries.pending_of(uow.session, document_type, document_id)
    if instance is not None:
        _record(instance, principal, "withdraw")
        _stop(instance, "withdraw")
        uow.emit("sales.approval_withdrawn", {
            "approval_id": instance.id, "document_type": instance.document_type,
            "document_id": instance.document_id, "document_number": instance.document_number,
            "withdrawn_by": principal.user_id or SYSTEM_USER_ID, "owner_id": instance.owner_id,
            "department_path": instance.department_path, "branch": instance.branch})


# --- flow configuration (admins) ---------------------------------------------------------------

def _steps_json(steps) -> list:
    """Stored as plain JSON: decimals as strings, ids as strings."""
    return FlowOut().dump({"steps": [jsonable(s) for s in steps]})["steps"]


def create_flow(uow, principal: Principal, payload) -> dict:
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowIn(), payload)
    try:
        with uow:
            flow = ApprovalFlow(id=new_id(), document_type=data["document_type"], name=data["name"], version=1,
                                allow_self_approval=data["allow_self_approval"], steps=_steps_json(data["steps"]))
            uow.session.add(flow)
            uow.session.flush()
            return FlowOut().dump(flow)
    except IntegrityError:
        raise Conflict("This document type already has a flow; change it instead",
                       {"document_type": ["Already configured."]}) from None


def update_flow(uow, principal: Principal, flow_id, payload) -> dict:
    """A new version; approvals already started keep the steps they were started with."""
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowUpdateIn(), payload)
    with uow:
        flow = queries.find_flow(uow.session, flow_id, for_update=True)
        if "steps" in data:
            flow.steps = _steps_json(data["steps"])
        for key in ("name", "allow_self_approval"):
            if key in data:
                setattr(flow, key, data[key])
        flow.version += 1
        uow.session.flush()
        return FlowOut().dump(flow)


# --- documents of the customers service, decided here: protection period extensions (CUS-07) and
# expense reimbursements (CUS-08) --------------------------------------------------------------

def _decide_foreign(uow, principal: Principal, document_type: str, document_id, action: str, data: dict) -> dict:
    principal.require(queries.FOREIGN[document_type][0])
    with uow:
        # Only the id: the row is loaded (and locked) by the engine, never from a stale read.
        if not queries.foreign_visible(uow.session, principal, document_type, document_id):
            raise NotFound(f"{queries.FOREIGN[document_type][2]} not found")
        decide(uow, principal, document_type, str(document_id), action, data)
        return InstanceOut().dump(queries.history(uow.session, document_type, str(document_id))[-1])


def approve_extension(uow, principal: Principal, request_id, payload) -> dict:
    return _decide_foreign(uow, principal, queries.EXTENSION, request_id, "approve",
                           load_body(DecisionIn(), payload or {}))


def reject_extension(uow, principal: Principal, request_id, payload) -> dict:
    return _decide_foreign(uow, principal, queries.EXTENSION, request_id, "reject", load_body(RejectionIn(), payload))


def approve_expense(uow, principal: Principal, expense_id, payload) -> dict:
    return _decide_foreign(uow, principal, queries.EXPENSE, expense_id, "approve",
                           load_body(DecisionIn(), payload or {}))


def reject_expense(uow, principal: Principal, expense_id, payload) -> dict:
    return _decide_foreign(uow, principal, queries.EXPENSE, expense_id, "reject", load_body(RejectionIn(), payload))
