"""Events the approval engine consumes: documents of other services to decide.

- `customers.extension_requested`: a protection period extension (延期, CUS-07);
- `customers.expense_recorded`: a customer expense's reimbursement (费用报销, CUS-08);
- `finance.approval_requested`: an invoice, a red-letter reversal or a receipt that finance holds
  because a flow for its type is configured (FIN-02, FIN-05).
The document itself lives in the other service; the final decision goes back as
`sales.approval_decided` (a withdrawal as `sales.approval_withdrawn`), which that service applies.
Sales keeps no copy of the document: the approval row is the only thing decisions lock.
"""
from types import SimpleNamespace

from sqlalchemy import select, text

from crm_common.principal import Principal
from crm_sales.approvals import use_cases
from crm_sales.approvals.models import ApprovalInstance
from crm_sales.approvals.queries import EXPENSE, EXTENSION


def open_foreign_approval(uow, document_type: str, document: dict, submitter: dict, facts: dict,
                          number: str | None = None) -> None:
    """Open the approval of another service's document, once: if the document comes again (a
    redelivery, or a resend after an upgrade) while an approval of it is pending, that one stands.

    `document` is id, owner_id, department_path, branch (the approval is scoped like it);
    `submitter` is user_id and department_path, whose superiors and department the steps reach.
    """
    # two sendings handled side by side must not both find none
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"{document_type}:{document['id']}"})
    if uow.session.execute(select(ApprovalInstance.id).where(
            ApprovalInstance.document_type == document_type, ApprovalInstance.document_id == document["id"],
            ApprovalInstance.status.in_(_STANDING[document_type]))).first() is not None:
        return
    principal = Principal(user_id=submitter["user_id"], department_path=submitter["department_path"],
                          branch=document["branch"], scope="own")
    use_cases.start(uow, principal, document_type, SimpleNamespace(
        id=document["id"], number=number or uow.document_number(document_type, document["branch"]),
        owner_id=document["owner_id"], department_path=document["department_path"], branch=document["branch"]),
        facts)


# Which earlier approvals of a document stand against a new one: a customers request is decided
# once; a finance document may be submitted again after a rejection or a withdrawal.
_ANY = ("pending", "approved", "rejected", "withdrawn")
_STANDING = {EXTENSION: _ANY, EXPENSE: _ANY, "invoice": ("pending",), "invoice_reversal": ("pending",),
             "receipt": ("pending",)}


def open_extension_approval(uow, data: dict) -> None:
    """Handle customers.extension_requested. Only the owner may ask, so the owner's department
    (the customer's) stands for the submitter's."""
    open_foreign_approval(uow, EXTENSION, _document(data, data["request_id"]),
                          {"user_id": data["requested_by"], "department_path": data["department_path"]}, {
                              "customer_id": data["customer_id"], "customer_name": data["customer_name"],
                              "customer_level": data["customer_level"], "days": data["days"],
                              "reason": data["reason"]})


def open_expense_approval(uow, data: dict) -> None:
    """Handle customers.expense_recorded: whoever recorded the expense submits it (and, unless a flow
    allows it, may not approve it); customers tells finance to pay once it is approved."""
    open_foreign_approval(uow, EXPENSE, _document(data, data["expense_id"]),
                          {"user_id": data["recorded_by"], "department_path": data["department_path"]}, {
                              "customer_id": data["customer_id"], "category": data["category"],
                              "amount": str(data["amount"]), "currency": data["currency"],
                              "spent_on": data["spent_on"].isoformat(), "recorded_by": data["recorded_by"]})


def open_finance_approval(uow, data: dict) -> None:
    """Handle finance.approval_requested: an invoice, a reversal or a receipt waits for its flow."""
    open_foreign_approval(uow, data["document_type"], _document(data, data["document_id"]),
                          {"user_id": data["submitted_by"], "department_path": data["submitter_department_path"]},
                          {"amount": str(data["amount"]), "currency": data["currency"],
                           "customer_id": data["customer_id"], "order_id": data["order_id"],
                           "summary": data["summary"]}, number=data["document_number"])


def _document(data: dict, document_id: str) -> dict:
    return {"id": document_id, "owner_id": data["owner_id"], "department_path": data["department_path"],
            "branch": data["branch"]}
