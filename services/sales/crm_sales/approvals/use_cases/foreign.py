"""Documents of other services, decided here: protection period extensions (CUS-07), expense
reimbursements (CUS-08) on their own routes, and finance's invoices, red-letter reversals and
receipts (FIN-02/05) on the approval desk."""

from crm_common.errors import Conflict, NotFound
from crm_common.principal import Principal
from crm_common.validation import NoInput, load_body
from crm_sales.approvals import queries
from crm_sales.approvals.models import ApprovalInstance
from crm_sales.approvals.schemas import DecisionIn, RejectionIn
from crm_sales.approvals.use_cases.engine import decide, withdraw_by_submitter


def _decide_foreign(uow, principal: Principal, document_type: str, document_id, action: str, data: dict) -> dict:
    permission = queries.FOREIGN[document_type][0]
    if permission:
        principal.require(permission)
    with uow:
        # Only the id: the row is loaded (and locked) by the engine, never from a stale read.
        if not queries.foreign_visible(uow.session, principal, document_type, document_id):
            raise NotFound(f"{queries.FOREIGN[document_type][2]} not found")
        decide(uow, principal, document_type, str(document_id), action, data)
        return queries.instances_out(principal, queries.history(uow.session, document_type, str(document_id))[-1:])[0]


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
        return queries.instances_out(principal, [instance])[0]


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
        return queries.instances_out(principal, [instance])[0]
