"""Reads of the approval engine: flows, the caller's approval desk, a document's approval history,
and who may act on a pending step."""
from types import SimpleNamespace

from sqlalchemy import and_, or_, select

from crm_common.errors import NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, in_scope, scope_filter
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_query
from crm_sales.approvals.models import ApprovalFlow, ApprovalInstance
from crm_sales.approvals.schemas import FlowListQuery, FlowOut, InstanceOut, PendingQuery

FLOWS_READ, FLOWS_WRITE = "approval_flows.read", "approval_flows.write"
SORTS = {"created_at": ApprovalInstance.created_at}
# Pool extensions (CUS-07) and expense reimbursements (CUS-08): the document lives in the customers
# service, its approval here.
EXTENSION, EXPENSE = "pool_extension", "expense_reimbursement"
# The gateway's gate for these routes; who may decide the current step is the flow's business.
EXTENSION_APPROVE, EXTENSION_READ = "customers.approve_extension", "customers.read"
EXPENSE_APPROVE = "expenses.approve"
# per document type kept elsewhere: (permission to decide, permission to read, what it is called)
FOREIGN = {EXTENSION: (EXTENSION_APPROVE, EXTENSION_READ, "Extension request"),
           EXPENSE: (EXPENSE_APPROVE, EXTENSION_READ, "Expense")}

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


def flow_of(session, document_type: str) -> dict:
    """The configured flow of a document type, or its default."""
    flow = session.execute(select(ApprovalFlow).where(ApprovalFlow.document_type == document_type)
                           ).scalar_one_or_none()
    if flow is not None:
        return {"allow_self_approval": flow.allow_self_approval, "version": flow.version, "steps": flow.steps}
    return DEFAULT_FLOWS.get(document_type, {"allow_self_approval": False, "version": 0, "steps": []})


def pending_of(session, document_type: str, document_id: str) -> ApprovalInstance | None:
    """The document's approval still waiting for a decision, locked."""
    return session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id,
        ApprovalInstance.status == "pending").with_for_update()).scalar_one_or_none()


def history(session, document_type: str, document_id: str) -> list[ApprovalInstance]:
    return list(session.execute(select(ApprovalInstance).where(
        ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document_id
    ).order_by(ApprovalInstance.created_at)).scalars())


def history_out(session, document_type: str, document_id: str) -> list:
    """A document's approvals as answered to a client, oldest first."""
    return InstanceOut(many=True).dump(history(session, document_type, document_id))


def may_act(principal: Principal, *, permission: str | None, user_id: str | None, owner_id: str,
            target: str, branch: str) -> bool:
    """May the caller decide a step with this approver? A named user is that user alone."""
    if user_id:
        return principal.user_id == user_id
    return bool(permission) and principal.has(permission) and in_scope(principal, owner_id, target, branch)


def actionable_by(principal: Principal):
    """SQL twin of may_act for listing the caller's pending approvals."""
    by_target = SimpleNamespace(owner_id=ApprovalInstance.owner_id, department_path=ApprovalInstance.target_path,
                                branch=ApprovalInstance.branch)
    return and_(ApprovalInstance.status == "pending", or_(
        ApprovalInstance.current_user_id == principal.user_id,
        and_(ApprovalInstance.current_permission.in_(sorted(principal.permissions)),
             scope_filter(principal, by_target))))


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


def get_instance(uow, principal: Principal, instance_id) -> dict:
    """One approval with its history: visible to whoever sees the document or may act on it."""
    with uow:
        try:
            instance = get_in_scope(uow.session, ApprovalInstance, instance_id, principal)
        except NotFound:
            instance = uow.session.execute(select(ApprovalInstance).where(
                ApprovalInstance.id == str(instance_id), actionable_by(principal))).scalar_one_or_none() \
                if is_uuid(instance_id) else None
            if instance is None:
                raise
        return InstanceOut().dump(instance)


# --- documents of the customers service (pool extensions, expenses) ----------------------------

def _foreign_visible(principal: Principal, document_type: str, document_id):
    """The document's approvals the caller may see: in their customers scope, or theirs to decide."""
    read, label = FOREIGN[document_type][1:]
    if not is_uuid(document_id):
        raise NotFound(f"{label} not found")
    return (ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == str(document_id),
            or_(scope_filter(principal, ApprovalInstance, read), actionable_by(principal)))


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
        return InstanceOut(many=True).dump(instances)


def extension_history(uow, principal: Principal, request_id) -> list:
    return foreign_history(uow, principal, EXTENSION, request_id)


def expense_history(uow, principal: Principal, expense_id) -> list:
    return foreign_history(uow, principal, EXPENSE, expense_id)
