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
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_sales.approvals import queries, rules
from crm_sales.approvals.models import ApprovalAction, ApprovalFlow, ApprovalInstance, ApprovalPerson
from crm_sales.approvals.schemas import (DecisionIn, FlowIn, FlowOut, FlowUpdateIn, InstanceOut, PeopleIn, PreviewIn,
                                         PreviewOut, RejectionIn)
from crm_sales.db import jsonable

# The gateway, when it saves a user: the same permission as managing users.
PEOPLE_WRITE = "admin.users"


# --- the engine, called by the use cases of every document ------------------------------------

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
    if not queries.may_act(principal, permission=instance.current_permission, user_ids=instance.current_user_ids,
                           owner_id=instance.owner_id, target=instance.target_path, branch=instance.branch):
        raise Forbidden(f"You are not an approver of the current step, {current}")
    if (principal.user_id == instance.submitter_id and not instance.allow_self_approval
            and stage.get("fallback") != "admin"):
        raise Forbidden("This flow forbids approving one's own document")
    if "permission" in stage and any(a.actor_id == principal.user_id and a.action == "approve"
                                     for a in instance.actions):
        raise Conflict("You already approved a step of this document")
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


# --- flow configuration (admins) ---------------------------------------------------------------

def _steps_json(steps) -> list:
    """Stored as plain JSON: decimals as strings, ids as strings."""
    return FlowOut().dump({"steps": [jsonable(s) for s in steps]})["steps"]


SETTINGS = ("name", "allow_self_approval", "no_approver", "admin_user_id", "restart")


def _check_settings(flow: ApprovalFlow) -> None:
    if flow.no_approver == "admin" and not flow.admin_user_id:
        raise InvalidInput("A flow that gives stages nobody can approve to its administrator names one",
                           {"admin_user_id": ["Required when no_approver is admin."]})


def _changed(uow, flow: ApprovalFlow) -> None:
    """Finance keeps which of its document types have a flow: without one they are not held."""
    uow.emit("sales.approval_flow_changed", {
        "flow_id": flow.id, "document_type": flow.document_type, "version": flow.version,
        "configured": flow.retired_at is None})


def create_flow(uow, principal: Principal, payload) -> dict:
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowIn(), payload)
    try:
        with uow:
            flow = ApprovalFlow(id=new_id(), document_type=data["document_type"], version=1,
                                steps=_steps_json(data["steps"]),
                                **{key: str(data[key]) if key == "admin_user_id" and data.get(key) else data.get(key)
                                   for key in SETTINGS})
            _check_settings(flow)
            uow.session.add(flow)
            uow.session.flush()
            _changed(uow, flow)
            return FlowOut().dump(flow)
    except IntegrityError:
        raise Conflict("This document type already has a flow; change it instead",
                       {"document_type": ["Already configured."]}) from None


def _live(uow, flow_id) -> ApprovalFlow:
    flow = queries.find_flow(uow.session, flow_id, for_update=True)
    if flow.retired_at is not None:
        raise Conflict("This flow is retired", {"retired_at": [flow.retired_at.isoformat()]})
    return flow


def update_flow(uow, principal: Principal, flow_id, payload) -> dict:
    """A new version; approvals already started keep the stages they were started with."""
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowUpdateIn(), payload)
    with uow:
        flow = _live(uow, flow_id)
        if "steps" in data:
            flow.steps = _steps_json(data["steps"])
        for key in SETTINGS:
            if key in data:
                setattr(flow, key, str(data[key]) if key == "admin_user_id" and data[key] else data[key])
        _check_settings(flow)
        flow.version += 1
        uow.session.flush()
        _changed(uow, flow)
        return FlowOut().dump(flow)


def retire_flow(uow, principal: Principal, flow_id, payload=None) -> dict:
    """The document type goes back to its default (finance's: not held at all); documents in
    flight finish with the stages they started with."""
    principal.require(queries.FLOWS_WRITE)
    load_body(NoInput(), payload or {})
    with uow:
        flow = _live(uow, flow_id)
        flow.retired_at = utcnow()
        uow.session.flush()
        _changed(uow, flow)
        return FlowOut().dump(flow)


def sync_people(uow, principal: Principal, payload) -> dict:
    """The gateway's users as the engine needs them (superior, roles, branch, active); whole rows,
    so a replay is harmless."""
    principal.require(PEOPLE_WRITE)
    data = load_body(PeopleIn(), payload)
    rows = [{"user_id": str(p["user_id"]), "branch": p["branch"],
             "manager_id": str(p["manager_id"]) if p["manager_id"] else None,
             "role_ids": sorted(str(r) for r in p["role_ids"]), "active": p["active"], "synced_at": utcnow()}
            for p in data["people"]]
    with uow:
        statement = pg_insert(ApprovalPerson).values(rows)
        if data["missing_only"]:
            added = uow.session.execute(statement.on_conflict_do_nothing(index_elements=["user_id"])
                                        .returning(ApprovalPerson.user_id)).all()
            return {"synced": len(added)}
        uow.session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_={
            key: statement.excluded[key] for key in ("branch", "manager_id", "role_ids", "active", "synced_at")}))
        return {"synced": len(rows)}


# --- documents of other services, decided here: protection period extensions (CUS-07), expense
# reimbursements (CUS-08), and finance's invoices, red-letter reversals and receipts (FIN-02/05) ----

def _decide_foreign(uow, principal: Principal, document_type: str, document_id, action: str, data: dict) -> dict:
    permission = queries.FOREIGN[document_type][0]
    if permission:
        principal.require(permission)
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


def _foreign_instance(uow, principal: Principal, approval_id) -> ApprovalInstance:
    """An approval of another service's document, seen by whoever sees the document or may act on it.
    A document of sales is decided on its own route, where its own state changes with the decision."""
    instance = queries.visible_instance(uow.session, principal, approval_id)
    if instance.document_type not in queries.FOREIGN:
        raise Conflict(f"Decide this {instance.document_type.replace('_', ' ')} on its own route",
                       {"document_type": [instance.document_type]})
    return instance


def decide_approval(uow, principal: Principal, approval_id, action: str, payload) -> dict:
    """POST /approvals/{id}/approve|reject: the approval desk's decision on another service's document."""
    data = load_body(DecisionIn() if action == "approve" else RejectionIn(), payload or {})
    with uow:
        instance = _foreign_instance(uow, principal, approval_id)
        permission = queries.FOREIGN[instance.document_type][0]
        if permission:
            principal.require(permission)
        decide(uow, principal, instance.document_type, instance.document_id, action, data)
        return InstanceOut().dump(instance)


def withdraw_approval(uow, principal: Principal, approval_id, payload=None) -> dict:
    """POST /approvals/{id}/withdraw (撤回) by the submitter: the owning service takes the document
    back on `sales.approval_withdrawn` (finance: the invoice is a draft again, the reversal and the
    receipt withdrawn). The customers service's requests are withdrawn there, not here."""
    load_body(NoInput(), payload or {})
    with uow:
        instance = _foreign_instance(uow, principal, approval_id)
        if not queries.FOREIGN[instance.document_type][3]:
            raise Conflict("This request is withdrawn where it was made", {"document_type": [instance.document_type]})
        withdraw_by_submitter(uow, principal, instance.document_type, instance.document_id)
        return InstanceOut().dump(instance)
