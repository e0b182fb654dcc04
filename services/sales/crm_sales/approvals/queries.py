"""Reads of the approval engine: flows, the caller's approval desk, a document's approval history,
and who may act on a pending step."""
from types import SimpleNamespace

from sqlalchemy import and_, exists, false, or_, select

from crm_common.errors import Conflict, CrmError, Forbidden, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, in_scope, scope_filter
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_query
from crm_sales.approvals import rules
from crm_sales.approvals.models import ApprovalAction, ApprovalFlow, ApprovalInstance, ApprovalPerson
from crm_sales.approvals.schemas import FlowListQuery, FlowOut, InstanceOut, PendingQuery

FLOWS_READ, FLOWS_WRITE = "approval_flows.read", "approval_flows.write"
SORTS = {"created_at": ApprovalInstance.created_at}
# Pool extensions (CUS-07) and expense reimbursements (CUS-08): the document lives in the customers
# service, its approval here.
EXTENSION, EXPENSE = "pool_extension", "expense_reimbursement"
# The gateway's gate for these routes; who may decide the current step is the flow's business.
EXTENSION_APPROVE, EXTENSION_READ = "customers.approve_extension", "customers.read"
EXPENSE_APPROVE = "expenses.approve"
# per document type kept elsewhere: (permission to decide, or None when the flow alone says who
# may; permission to read; what it is called; whether the submitter withdraws it here)
FOREIGN = {EXTENSION: (EXTENSION_APPROVE, EXTENSION_READ, "Extension request", False),
           EXPENSE: (EXPENSE_APPROVE, EXTENSION_READ, "Expense", False),
           # finance's documents are held only under a configured flow, whose steps name the approvers
           "invoice": (None, "invoices.read", "Invoice", True),
           "invoice_reversal": (None, "invoices.read", "Red-letter reversal", True),
           "receipt": (None, "receipts.read", "Receipt", True)}

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
    EXTENSION: {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Extension approval", "conditions": {},
         "approver": {"permission": EXTENSION_APPROVE, "target": "document"}}]},
    # 费用报销: whoever approves expenses in the customer's scope, never the one who spent
    EXPENSE: {"allow_self_approval": False, "version": 0, "steps": [
        {"name": "Expense approval", "conditions": {},
         "approver": {"permission": EXPENSE_APPROVE, "target": "document"}}]},
}


def live_flow(session, document_type: str, for_update=False) -> ApprovalFlow | None:
    stmt = select(ApprovalFlow).where(ApprovalFlow.document_type == document_type, ApprovalFlow.retired_at.is_(None))
    return session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()


def flow_of(session, document_type: str) -> dict:
    """The configured flow of a document type, or its default."""
    flow = live_flow(session, document_type)
    if flow is not None:
        return {"configured": True, "allow_self_approval": flow.allow_self_approval, "version": flow.version,
                "steps": flow.steps, "no_approver": flow.no_approver, "admin_user_id": flow.admin_user_id,
                "restart": flow.restart}
    return {"configured": False, "no_approver": "auto_pass", "admin_user_id": None, "restart": "first",
            **DEFAULT_FLOWS.get(document_type, {"allow_self_approval": False, "version": 0, "steps": []})}


def org_for(session, submitter_id: str, branch: str, steps: list) -> rules.Org:
    """The part of the org chart the steps need: the submitter's chain of superiors (one statement
    per level, at most as many levels as a step reaches) and the holders of the roles they name."""
    levels = max([s["approver"].get("level", 1) if s["approver"].get("kind") == "superior" else
                  s["approver"].get("up_to", 0) if s["approver"].get("kind") == "superiors" else 0
                  for s in steps] or [0])
    managers, active, current = {}, set(), submitter_id
    for _ in range(levels):
        row = session.execute(select(ApprovalPerson.manager_id).where(ApprovalPerson.user_id == current)).first()
        if row is None or row.manager_id is None or row.manager_id in managers:
            break
        managers[current] = row.manager_id
        current = row.manager_id
    if managers:
        active.update(session.execute(select(ApprovalPerson.user_id).where(
            ApprovalPerson.user_id.in_(list(managers.values())), ApprovalPerson.active.is_(True))).scalars())
    role_ids = sorted({s["approver"]["role_id"] for s in steps if s["approver"].get("kind") == "role"})
    members = {role: [] for role in role_ids}
    if role_ids:
        for person in session.execute(select(ApprovalPerson.user_id, ApprovalPerson.role_ids).where(
                ApprovalPerson.branch == branch, ApprovalPerson.active.is_(True),
                ApprovalPerson.role_ids.overlap(role_ids))):
            for role in set(person.role_ids) & set(role_ids):
                members[role].append(person.user_id)
    return rules.Org(managers=managers, active=frozenset(active), members=members)


def unknown_people(session, user_ids: list, branch: str) -> list:
    """Of the given users, those who are not active people of the branch."""
    ids = [str(u) for u in user_ids]
    known = set(session.execute(select(ApprovalPerson.user_id).where(
        ApprovalPerson.user_id.in_(ids), ApprovalPerson.branch == branch, ApprovalPerson.active.is_(True))).scalars())
    return [u for u in ids if u not in known]


def pending_of(session, document_type: str, document_id: str) -> ApprovalInstance | None:
    """The document's approval still waiting for a decision, locked."""
    return session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id,
        ApprovalInstance.status == "pending").with_for_update()).scalar_one_or_none()


def history(session, document_type: str, document_id: str) -> list[ApprovalInstance]:
    return list(session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id
    ).order_by(ApprovalInstance.created_at)).scalars())


def history_out(session, principal: Principal, document_type: str, document_id: str) -> list:
    """A document's approvals as answered to the caller, oldest first."""
    return instances_out(principal, history(session, document_type, document_id))


def instances_out(principal: Principal, instances: list[ApprovalInstance]) -> list:
    """Approvals as answered to the caller, each saying whether they may decide it now
    (`may_decide`), so a client shows 同意 / 驳回 only to who would not be refused."""
    answers = InstanceOut(many=True).dump(instances)
    for answer, instance in zip(answers, instances, strict=True):
        permission = FOREIGN.get(instance.document_type, (None,))[0]
        answer["may_decide"] = (refusal(principal, instance) is None
                                and (permission is None or principal.has(permission)))
    return answers


def refusal(principal: Principal, instance: ApprovalInstance) -> CrmError | None:
    """Why the caller may not decide the approval's waiting stage now, or None when they may."""
    if instance.status != "pending":
        return Conflict("This document is not waiting for approval")
    index = instance.current_step
    stage = rules.as_stage(instance.steps[index])
    if not may_act(principal, permission=instance.current_permission, user_ids=instance.current_user_ids,
                   owner_id=instance.owner_id, target=instance.target_path, branch=instance.branch):
        return Forbidden(f"You are not an approver of the current step, {rules.step_label(instance.steps, index)}")
    if (principal.user_id == instance.submitter_id and not instance.allow_self_approval
            and stage.get("fallback") != "admin"):
        return Forbidden("This flow forbids approving one's own document")
    if "permission" in stage and any(a.actor_id == principal.user_id and a.action == "approve"
                                     for a in instance.actions):
        return Conflict("You already approved a step of this document")
    return None


def may_act(principal: Principal, *, permission: str | None, user_ids: list | None, owner_id: str,
            target: str, branch: str) -> bool:
    """May the caller decide a stage with these approvers? A stage of users is theirs alone."""
    if user_ids is not None:
        return principal.user_id in user_ids
    return bool(permission) and principal.has(permission) and in_scope(principal, owner_id, target, branch)


def actionable_by(principal: Principal):
    """SQL twin of may_act for listing the caller's pending approvals."""
    by_target = SimpleNamespace(owner_id=ApprovalInstance.owner_id, department_path=ApprovalInstance.target_path,
                                branch=ApprovalInstance.branch)
    return and_(ApprovalInstance.status == "pending", or_(
        ApprovalInstance.current_user_ids.contains([principal.user_id or ""]),
        and_(ApprovalInstance.current_permission.in_(sorted(principal.permissions)),
             scope_filter(principal, by_target))))


# Who decided a stage of a document keeps reading it: what they approved or rejected stays theirs
# to look up (docs/approvals.md, "Approvers outside the scope").
DECISIONS = ("approve", "reject")


def approver_of(principal: Principal, document_types, id_column, *, past: bool = True):
    """SQL: the document (`id_column`) has an approval of one of `document_types` whose waiting
    stage the caller may act on, or (`past`) one they approved or rejected a stage of. A correlated
    EXISTS on `ix_approval_instances_document_id`: one document's few approvals, not the desk.
    It correlates only the document's table: inside a statement over the approvals themselves
    (a foreign document's history) it still asks about all of the document's approvals, not the
    outer row's."""
    if not principal.user_id:
        return false()
    of_document = (ApprovalInstance.document_id == id_column, ApprovalInstance.document_type.in_(document_types))
    waiting = exists().where(*of_document, actionable_by(principal)).correlate_except(ApprovalInstance)
    if not past:
        return waiting
    decided = exists().where(*of_document, decided_by(principal)).correlate_except(ApprovalInstance, ApprovalAction)
    return or_(waiting, decided)


def decided_by(principal: Principal):
    """SQL: the caller approved or rejected a stage of the approval (`ApprovalInstance`)."""
    return and_(ApprovalAction.instance_id == ApprovalInstance.id, ApprovalAction.actor_id == principal.user_id,
                ApprovalAction.action.in_(DECISIONS))


def approves(uow, principal: Principal, document_type: str, document_id) -> bool:
    """Does the caller approve, or did they decide, this document of another service? Its own
    service asks (crm_common.approvers) when the document is outside the caller's scope: the
    same rule as approver_of for sales' own documents, kept once, here beside the approvals."""
    if document_type not in FOREIGN or not is_uuid(document_id):
        return False
    with uow.reading():
        return uow.session.execute(select(approver_of(principal, (document_type,), str(document_id)))).scalar()


def approver_scope(principal: Principal, document_types, id_column, for_update: bool, deciding: bool,
                   condition=None) -> dict:
    """get_in_scope's `also` / `sees` for a document of sales the engine decides: its approvers
    read it and decide it on its own route (only while its stage waits for them); they never
    change it (Forbidden: they see it). `condition(past)` replaces approver_of for a document
    whose approvals hang off another record (a contract's change orders)."""
    condition = condition or (lambda past: approver_of(principal, document_types, id_column, past=past))
    if not for_update:
        return {"also": condition(True)}
    if deciding:
        return {"also": condition(False), "sees": condition(True)}
    return {"sees": condition(True)}


# --- flows -------------------------------------------------------------------------------------

def find_flow(session, flow_id, for_update=False) -> ApprovalFlow:
    flow = session.get(ApprovalFlow, str(flow_id), with_for_update=for_update) if is_uuid(flow_id) else None
    if flow is None:
        raise NotFound("Approval flow not found")
    return flow


def get_flow(uow, principal: Principal, flow_id) -> dict:
    principal.require(FLOWS_READ)
    with uow:
        return FlowOut().dump(find_flow(uow.session, flow_id))


def list_flows(uow, principal: Principal, query) -> dict:
    principal.require(FLOWS_READ)
    q = load_query(FlowListQuery(), query)
    stmt = select(ApprovalFlow)
    if not q.get("retired"):
        stmt = stmt.where(ApprovalFlow.retired_at.is_(None))
    if "document_type" in q:
        stmt = stmt.where(ApprovalFlow.document_type == q["document_type"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, ApprovalFlow.id, q,
                                   {"created_at": ApprovalFlow.created_at}, "created_at")
        return {"items": FlowOut(many=True).dump(rows), "next_cursor": cursor}


# --- approval desks ----------------------------------------------------------------------------

def pending_for_me(uow, principal: Principal, query) -> dict:
    """The caller's approval desk: every approval whose current step they may act on."""
    q = load_query(PendingQuery(), query)
    stmt = select(ApprovalInstance).where(actionable_by(principal))
    if "document_type" in q:
        stmt = stmt.where(ApprovalInstance.document_type == q["document_type"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, ApprovalInstance.id, q, SORTS, "created_at")
        return {"items": InstanceOut(many=True, exclude=("actions",)).dump(rows), "next_cursor": cursor}


def visible_instance(session, principal: Principal, instance_id) -> ApprovalInstance:
    """Visible to whoever sees the document, may act on it, submitted it or decided a stage of it."""
    try:
        return get_in_scope(session, ApprovalInstance, instance_id, principal)
    except NotFound:
        instance = session.execute(select(ApprovalInstance).where(
            ApprovalInstance.id == str(instance_id), or_(
                actionable_by(principal), ApprovalInstance.submitter_id == principal.user_id,
                exists().where(decided_by(principal)).correlate(ApprovalInstance)))
        ).scalar_one_or_none() if is_uuid(instance_id) else None
        if instance is None:
            raise
        return instance


def get_instance(uow, principal: Principal, instance_id) -> dict:
    """One approval with its history."""
    with uow:
        return instances_out(principal, [visible_instance(uow.session, principal, instance_id)])[0]


# --- documents of the customers service (pool extensions, expenses) ----------------------------

def _foreign_visible(principal: Principal, document_type: str, document_id):
    """The document's approvals the caller may see: in their scope of its read permission, or all
    of them when the document is theirs to decide or they decided a stage of it (approver_of)."""
    read, label = FOREIGN[document_type][1:3]
    if not is_uuid(document_id):
        raise NotFound(f"{label} not found")
    return (ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == str(document_id),
            or_(scope_filter(principal, ApprovalInstance, read), approver_of(principal, (document_type,),
                                                                             str(document_id))))


def foreign_visible(session, principal: Principal, document_type: str, document_id) -> bool:
    return session.execute(select(ApprovalInstance.id).where(
        *_foreign_visible(principal, document_type, document_id))).first() is not None


def foreign_history(uow, principal: Principal, document_type: str, document_id) -> list:
    principal.require(FOREIGN[document_type][1])
    with uow:
        instances = uow.session.execute(select(ApprovalInstance).where(
            *_foreign_visible(principal, document_type, document_id)).order_by(ApprovalInstance.created_at)
        ).scalars().all()
        if not instances:
            raise NotFound(f"{FOREIGN[document_type][2]} not found")
        return instances_out(principal, instances)


def document_history(uow, principal: Principal, document_type: str, document_id) -> list:
    """GET /approval-history/{document_type}/{id}: the approvals of another service's document."""
    if document_type not in FOREIGN:
        raise NotFound("No such document type kept by another service")
    return foreign_history(uow, principal, document_type, document_id)


def extension_history(uow, principal: Principal, request_id) -> list:
    return foreign_history(uow, principal, EXTENSION, request_id)


def expense_history(uow, principal: Principal, expense_id) -> list:
    return foreign_history(uow, principal, EXPENSE, expense_id)
