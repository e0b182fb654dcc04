"""Holding a finance document for approval, and what the engine's answer does to it.

Sales says which document types have a flow (`sales.approval_flow_changed`); while one has, an
invoice to issue, a red-letter reversal or a receipt is created `pending_approval` and
`finance.approval_requested` asks sales to open its approval. `sales.approval_decided` and
`sales.approval_withdrawn` come back to the document's own area (handlers.py). Without a flow
nothing is held: the documents behave exactly as before.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_finance.approvals import rules
from crm_finance.approvals.models import ApprovalFlowState


def held(session, document_type: str) -> bool:
    return bool(session.execute(select(ApprovalFlowState.configured).where(
        ApprovalFlowState.document_type == document_type)).scalar_one_or_none())


def request(uow, principal: Principal, document_type: str, document, *, number: str, amount, customer_id: str,
            order_id: str, summary: str) -> None:
    """Ask sales to open the document's approval; `document` carries the scope columns."""
    uow.emit("finance.approval_requested", {
        "document_type": document_type, "document_id": document.id, "document_number": number,
        "submitted_by": principal.user_id, "submitter_department_path": principal.department_path,
        "amount": amount, "currency": document.currency, "customer_id": customer_id, "order_id": order_id,
        "summary": summary, "owner_id": document.owner_id, "department_path": document.department_path,
        "branch": document.branch})


def flow_changed(uow, envelope: dict, data: dict) -> None:
    """Handle sales.approval_flow_changed for finance's own document types."""
    if data["document_type"] not in rules.HELD_TYPES:
        return
    as_of = datetime.fromisoformat(str(envelope["occurred_at"]))
    statement = pg_insert(ApprovalFlowState).values(
        document_type=data["document_type"], configured=data["configured"], flow_id=data["flow_id"], as_of=as_of)
    uow.session.execute(statement.on_conflict_do_update(
        index_elements=["document_type"], set_={"configured": statement.excluded.configured,
                                                "flow_id": statement.excluded.flow_id,
                                                "as_of": statement.excluded.as_of},
        where=ApprovalFlowState.as_of <= statement.excluded.as_of))


def deciding_principal(branch: str) -> Principal:
    """Who applies the engine's decision: the system, in the whole branch (the approvers decided)."""
    return Principal(user_id=SYSTEM_USER_ID, department_path="/", branch=branch, scope="all",
                     permissions=frozenset({"invoices.read", "invoices.write", "receipts.write",
                                            "bank_accounts.read"}))
