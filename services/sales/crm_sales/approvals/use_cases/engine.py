"""The approval engine (SAL-07): one engine for every document type — a document's submission
(`start`), its decisions (`decide`), withdrawal, and the preview of who would approve it.

A document use case locks its document row (FOR UPDATE), then calls `start` on submit and
`decide` on approve/reject inside the same unit of work, so concurrent decisions on one step
are serialised by the document's row lock: exactly one wins, the others find the step
already decided (409). Documents kept by another service (pool extensions) have no row
here: their decisions lock the approval row itself, which serialises them the same way.
Each step entered emits `sales.approval_requested`, which workspace turns into a notification
for whoever may act on it; the end of an approval emits `sales.approval_decided` (or
`sales.approval_withdrawn` when its document is cancelled), which resolves those notifications.
"""

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, InvalidInput
from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_sales.approvals import queries, rules
from crm_sales.approvals.models import ApprovalAction, ApprovalInstance
from crm_sales.approvals.schemas import PreviewIn, PreviewOut


def _enter_step(uow, instance: ApprovalInstance, index: int) -> None:
    stage = rules.as_stage(instance.steps[index])
    instance.current_step = index
    if "user_ids" in stage:
        instance.current_permission = None
        instance.current_user_ids = rules.waiting_for(stage, set())
        instance.target_path = instance.department_path
        recipients = instance.current_user_ids
    else:
        instance.current_permission, instance.current_user_ids = stage["permission"], None
        instance.target_path = rules.target_path(stage, instance.department_path,
                                                 instance.submitter_department_path)
        recipients = [None]
    for recipient in recipients:  # 会签 / 或签: each approver of the stage is told
        uow.emit("sales.approval_requested", {
            "approval_id": instance.id, "document_type": instance.document_type,
            "document_id": instance.document_id, "document_number": instance.document_number,
            "step_index": index, "step_name": stage["name"], "amount": instance.facts.get("amount", "0.00"),
            "currency": instance.facts.get("currency", "CNY"),
            "audience_permission": instance.current_permission, "recipient_user_id": recipient,
            # The notification is scoped to the step's target department, not the document's.
            "owner_id": instance.owner_id, "department_path": instance.target_path, "branch": instance.branch,
        })


def _record(instance, actor_id, action, comment=None, step=None):
    name = instance.steps[step]["name"] if step is not None else None
    instance.actions.append(ApprovalAction(id=new_id(), step_index=step, step_name=name, actor_id=actor_id,
                                           action=action, comment=comment, created_at=utcnow()))


def _stop(instance: ApprovalInstance, action: str) -> None:
    rules.LIFECYCLE.apply(instance, action)
    instance.decided_at = utcnow()
    instance.current_permission = instance.current_user_ids = instance.target_path = None


def _end(uow, instance: ApprovalInstance, action: str, decided_by: str, comment=None) -> None:
    _stop(instance, action)
    uow.emit("sales.approval_decided", {
        "approval_id": instance.id, "document_type": instance.document_type,
        "document_id": instance.document_id, "document_number": instance.document_number,
        "outcome": instance.status, "comment": comment, "decided_by": decided_by,
        "owner_id": instance.owner_id, "department_path": instance.department_path, "branch": instance.branch,
    })


def _advance(uow, instance: ApprovalInstance, start: int, decided_by: str, comment=None) -> None:
    """Enter the first stage from `start` that waits for someone; the ones nobody could approve
    pass on their own (in the history); past the last, the approval is approved."""
    index = rules.next_stage(instance.steps, start)
    for skipped in range(start, len(instance.steps) if index is None else index):
        _record(instance, SYSTEM_USER_ID, "auto_pass", "No approver found", skipped)
    if index is None:
        _end(uow, instance, "approve", decided_by, comment)
    else:
        _enter_step(uow, instance, index)


def _settings(flow: dict) -> rules.Settings:
    return rules.Settings(allow_self_approval=flow["allow_self_approval"], no_approver=flow["no_approver"],
                          admin_user_id=flow["admin_user_id"])


def _stages(session, principal: Principal, document_type: str, branch: str, facts: dict, chosen, preview=False):
    """(flow, stages) of a document the principal submits now."""
    flow = queries.flow_of(session, document_type)
    steps = rules.snapshot(flow["steps"], facts)
    if facts.get("discount_over_limit"):
        # A discount beyond the submitter's position limit is never refused: it adds the
        # discount flow's steps instead.
        steps += rules.snapshot(queries.flow_of(session, "discount")["steps"], facts)
    if chosen:
        unknown = queries.unknown_people(session, chosen, branch)
        if unknown:
            raise InvalidInput("Unknown approvers", {"approvers": [f"Not an active user of the branch: {u}."
                                                                   for u in unknown]})
    org = queries.org_for(session, principal.user_id, branch, steps)
    try:
        stages = rules.resolve(steps, facts, principal.user_id, org, _settings(flow),
                               [str(u) for u in chosen or ()], preview)
    except rules.ChoiceMissing as missing:
        raise InvalidInput("This flow asks the submitter to choose approvers",
                           {"approvers": [f"Choose the approvers of step '{missing}'."]}) from None
    return flow, stages


def start(uow, principal: Principal, document_type: str, document, facts: dict, chosen=None) -> ApprovalInstance:
    """Open the approval of a just-submitted document; status is already 'approved' if no step applies.

    After a rejection under the same flow version, a flow that restarts at the rejecting step
    lets the stages before it stand (recorded as carried over).
    """
    flow, stages = _stages(uow.session, principal, document_type, document.branch, facts, chosen)
    previous = queries.history(uow.session, document_type, document.id)
    last = previous[-1] if previous else None
    begin = rules.restart_at(flow["restart"], last and {
        "status": last.status, "flow_version": last.flow_version, "current_step": last.current_step},
        flow["version"], stages)
    instance = ApprovalInstance(
        id=new_id(), document_type=document_type, document_id=document.id, document_number=document.number,
        flow_version=flow["version"], allow_self_approval=flow["allow_self_approval"], steps=stages,
        facts=facts, submitter_id=principal.user_id, submitter_department_path=principal.department_path,
        status="pending", owner_id=document.owner_id,
        department_path=document.department_path, branch=document.branch, actions=[])
    uow.session.add(instance)
    _record(instance, principal.user_id, "submit")
    for carried in range(begin):
        _record(instance, SYSTEM_USER_ID, "carried", "Approved before the rejection", carried)
    if not stages:
        _end(uow, instance, "approve", SYSTEM_USER_ID, "No approval step applies")
    else:
        _advance(uow, instance, begin, SYSTEM_USER_ID, "No approver found")
    return instance


def decide(uow, principal: Principal, document_type: str, document_id: str, action: str, data: dict) -> str:
    """Approve or reject the current stage; returns the approval's status afterwards.

    The caller holds the document's row lock, which serialises every decision on it. One
    rejection rejects the document, in a 会签 stage too; a 会签 stage moves on once all its users
    approved, a 或签 one at the first approval.
    """
    instance = queries.pending_of(uow.session, document_type, document_id)
    if instance is None:
        raise Conflict("This document is not waiting for approval")
    index = instance.current_step
    stage = rules.as_stage(instance.steps[index])
    current = rules.step_label(instance.steps, index)
    if "step" in data and data["step"] != index + 1:
        raise Conflict(f"Step {data['step']} is not the one waiting; the document is at {current}")
    refused = queries.refusal(principal, instance)
    if refused:
        raise refused
    _record(instance, principal.user_id, action, data.get("comment"), index)
    if action == "reject":
        _end(uow, instance, "reject", principal.user_id, data.get("comment"))
        return instance.status
    approved_by = {a.actor_id for a in instance.actions if a.action == "approve" and a.step_index == index}
    if "user_ids" in stage and not rules.stage_done(stage, approved_by):
        instance.current_user_ids = rules.waiting_for(stage, approved_by)  # 会签: the others still
    else:
        _advance(uow, instance, index + 1, principal.user_id, data.get("comment"))
    return instance.status


def _withdrawn(uow, instance: ApprovalInstance, by: str) -> None:
    _record(instance, by, "withdraw")
    _stop(instance, "withdraw")
    uow.emit("sales.approval_withdrawn", {
        "approval_id": instance.id, "document_type": instance.document_type,
        "document_id": instance.document_id, "document_number": instance.document_number,
        "withdrawn_by": by, "owner_id": instance.owner_id,
        "department_path": instance.department_path, "branch": instance.branch})


def withdraw(uow, principal: Principal, document_type: str, document_id: str) -> None:
    """A cancelled document's pending approval ends too; its approvers stop being asked."""
    instance = queries.pending_of(uow.session, document_type, document_id)
    if instance is not None:
        _withdrawn(uow, instance, principal.user_id or SYSTEM_USER_ID)


def withdraw_by_submitter(uow, principal: Principal, document_type: str, document_id: str) -> None:
    """The submitter takes a document back while it waits (撤回); nobody else may."""
    instance = queries.pending_of(uow.session, document_type, document_id)
    if instance is None:
        raise Conflict("This document is not waiting for approval")
    if instance.submitter_id != principal.user_id:
        raise Forbidden("Only the submitter withdraws a document from approval")
    _withdrawn(uow, instance, principal.user_id)


# Where the preview finds the facts of a document of sales by its id: each area registers its own
# (orders, contracts, returns), since the engine does not know their tables.
FACTS = {}


def preview(uow, principal: Principal, payload) -> dict:
    """Who would approve the document if the caller submitted it now; nothing is saved."""
    data = load_body(PreviewIn(), payload)
    document_type = data["document_type"]
    with uow:
        if "document_id" in data:
            if document_type not in FACTS:
                raise InvalidInput("Give the facts of this document type",
                                   {"document_id": ["Not a document kept by sales; give amount etc. instead."]})
            facts, branch = FACTS[document_type](uow.session, principal, data["document_id"])
        else:
            facts, branch = {key: str(data[key]) for key in ("amount", "currency", "discount_percent",
                                                           "customer_level") if key in data}, principal.branch
        flow, stages = _stages(uow.session, principal, document_type, branch, facts, data.get("approvers"),
                               preview=True)
        return PreviewOut().dump({"document_type": document_type, "configured": flow["configured"],
                                  "flow_version": flow["version"],
                                  "stages": [{**stage, "step": index + 1} for index, stage in enumerate(stages)]})
