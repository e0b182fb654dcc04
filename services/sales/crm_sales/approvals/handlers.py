"""Events the approval engine consumes: protection period extensions (延期, CUS-07) and customer
expense reimbursements (费用报销, CUS-08) to decide.

The request itself lives in the customers service. `customers.extension_requested` opens its
approval here (document type `pool_extension`, document id = the request's id, scope = the
customer's); the final decision goes back as `sales.approval_decided`, which customers applies.
Sales keeps no copy of the request: the approval row is the only thing decisions lock.
"""
from types import SimpleNamespace

from sqlalchemy import select, text

from crm_common.principal import Principal
from crm_sales.approvals import use_cases
from crm_sales.approvals.models import ApprovalInstance
from crm_sales.approvals.queries import EXPENSE, EXTENSION


def open_extension_approval(uow, data: dict) -> None:
    """Handle customers.extension_requested.

    Only the owner may ask, so the owner's department (the customer's) stands for the
    submitter's: `submitter_department` steps go to the head of the owner's department.
    A request is decided once: if it comes again (customers resends those still pending after an
    upgrade), the approval it already has stands.
    """
    # two sendings handled side by side must not both find none
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"pe:{data['request_id']}"})
    if uow.session.execute(select(ApprovalInstance.id).where(
            ApprovalInstance.document_type == EXTENSION,
            ApprovalInstance.document_id == data["request_id"])).first() is not None:
        return
    submitter = Principal(user_id=data["requested_by"], department_path=data["department_path"],
                          branch=data["branch"], scope="own")
    document = SimpleNamespace(id=data["request_id"], number=uow.document_number("pool_extension", data["branch"]),
                               owner_id=data["owner_id"], department_path=data["department_path"],
                               branch=data["branch"])
    use_cases.start(uow, submitter, EXTENSION, document, {
        "customer_id": data["customer_id"], "customer_name": data["customer_name"],
        "customer_level": data["customer_level"], "days": data["days"], "reason": data["reason"]})


def open_expense_approval(uow, data: dict) -> None:
    """Handle customers.expense_recorded: the reimbursement waits for approval (费用报销审批).

    Whoever recorded the expense submits it (and, unless a flow allows it, may not approve it);
    the approval is scoped like the customer, and `sales.approval_decided` goes back to customers,
    which tells finance to pay the recorder once it is approved. Once per expense.
    """
    uow.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"ex:{data['expense_id']}"})
    if uow.session.execute(select(ApprovalInstance.id).where(
            ApprovalInstance.document_type == EXPENSE,
            ApprovalInstance.document_id == data["expense_id"])).first() is not None:
        return
    submitter = Principal(user_id=data["recorded_by"], department_path=data["department_path"],
                          branch=data["branch"], scope="own")
    document = SimpleNamespace(id=data["expense_id"], number=uow.document_number("expense_reimbursement", data["branch"]),
                               owner_id=data["owner_id"], department_path=data["department_path"],
                               branch=data["branch"])
    use_cases.start(uow, submitter, EXPENSE, document, {
        "customer_id": data["customer_id"], "category": data["category"], "amount": str(data["amount"]),
        "currency": data["currency"], "spent_on": data["spent_on"].isoformat(), "recorded_by": data["recorded_by"]})
