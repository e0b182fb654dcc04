"""After-sales records and complaints (CUS-08); each is visible exactly when its customer is.

An expense (客户费用) is reimbursed only after approval: `customers.expense_recorded` opens its
approval in the sales engine (document type `expense_reimbursement`), whose `sales.approval_decided`
comes back to `apply_expense_decision`; an approved one is `customers.expense_approved`, on which
finance opens the payment to whoever recorded it."""
import logging

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import Principal, in_scope
from crm_common.records import is_uuid, utcnow
from crm_common.validation import ResolvedUser, load_body
from crm_customers.aftersales.models import RECORD_MODELS, Complaint, Expense
from crm_customers.aftersales.rules import COMPLAINT, EXPENSE
from crm_customers.aftersales.schemas import RECORD_KINDS, ComplaintActionIn, ComplaintIn, ComplaintOut
from crm_customers.contacts.queries import check_contact
from crm_customers.customers.queries import WRITE, find, find_parent
from crm_customers.customers.models import Customer
from crm_customers.customers.use_cases import record_history

log = logging.getLogger(__name__)
_WITHOUT_AUTHOR = {"important_dates"}  # an anniversary is the customer's, not someone's record


def _expense_recorded(uow, principal, customer, expense):
    """The sales approval engine opens its reimbursement's approval; finance pays only once approved."""
    uow.emit("customers.expense_recorded", {
        "expense_id": expense.id, "customer_id": customer.id, "category": expense.category,
        "amount": expense.amount, "currency": expense.currency, "spent_on": expense.spent_on,
        "recorded_by": principal.user_id, "owner_id": customer.owner_id,
        "department_path": customer.department_path, "branch": customer.branch})


_AFTER_CREATE = {"expenses": _expense_recorded}


def apply_expense_decision(uow, data: dict) -> None:
    """Handle sales.approval_decided for an expense reimbursement; an approved one goes to finance,
    to be paid to whoever recorded the expense (not the customer's owner)."""
    expense = uow.session.get(Expense, data["document_id"], with_for_update=True)
    if expense is None:  # purged with its customer while the approval ran
        log.warning("approval %s decided expense %s, which is gone", data["approval_id"], data["document_id"])
        return
    if not EXPENSE.can(expense.status, data["outcome"]):
        log.warning("approval %s decided expense %s, which is already %s: nothing changes", data["approval_id"],
                    expense.id, expense.status)
        return
    EXPENSE.apply(expense, data["outcome"])
    expense.decided_by, expense.decided_at, expense.decision_comment = data["decided_by"], utcnow(), data["comment"]
    customer = uow.session.get(Customer, expense.customer_id)
    record_history(uow.session, customer.id, f"expense_{expense.status}", expense.decided_by, id=expense.id,
                   approval_id=data["approval_id"])
    if expense.status == "approved":
        uow.emit("customers.expense_approved", {
            "expense_id": expense.id, "customer_id": customer.id, "category": expense.category,
            "amount": expense.amount, "currency": expense.currency, "spent_on": expense.spent_on,
            "recorded_by": expense.author_id, "approved_by": expense.decided_by, "owner_id": customer.owner_id,
            "department_path": customer.department_path, "branch": customer.branch})


def create_record(uow, principal: Principal, kind: str, customer_id, payload) -> dict:
    principal.require(WRITE)
    spec = RECORD_KINDS[kind]
    data = load_body(spec.body(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        if "contact_id" in data:
            data["contact_id"] = check_contact(uow.session, customer, data["contact_id"])
        extra = {} if kind in _WITHOUT_AUTHOR else {"author_id": principal.user_id}
        record = RECORD_MODELS[kind](id=new_id(), customer_id=customer.id, created_at=utcnow(), **extra, **data)
        uow.session.add(record)
        uow.session.flush()
        if kind in _AFTER_CREATE:
            _AFTER_CREATE[kind](uow, principal, customer, record)
        record_history(uow.session, customer.id, f"{kind}_added", principal.user_id, id=record.id)
        return spec.out().dump(record)


def create_complaint(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(ComplaintIn(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        complaint = Complaint(id=new_id(), number=uow.document_number("complaint", principal.branch),
                              customer_id=customer.id, author_id=principal.user_id, status="open",
                              created_at=utcnow(), **data)
        uow.session.add(complaint)
        uow.session.flush()
        record_history(uow.session, customer.id, "complaint_opened", principal.user_id, id=complaint.id)
        return ComplaintOut().dump(complaint)


def act_on_complaint(uow, principal: Principal, complaint_id, payload, handler=None) -> dict:
    """assign (handler resolved by the gateway) → start → resolve (result) → close (satisfaction)."""
    principal.require(WRITE)
    data = load_body(ComplaintActionIn(), payload)
    handler = load_body(ResolvedUser(), handler) if handler is not None else None
    if not is_uuid(complaint_id):
        raise NotFound("Complaint not found")
    with uow:
        complaint = uow.session.get(Complaint, str(complaint_id), with_for_update=True)
        if complaint is None:
            raise NotFound("Complaint not found")
        customer = find_parent(uow.session, principal, complaint.customer_id, "Complaint")
        status = COMPLAINT.next_status(complaint.status, data["action"])
        if data["action"] == "assign":
            if not handler or handler["id"] != str(data.get("handler_id")) or not handler["active"]:
                raise InvalidInput("A handler is required", {"handler_id": ["Unknown or inactive user."]})
            if not in_scope(principal, handler["id"], handler["department_path"], handler["branch"]):
                raise InvalidInput("The handler is outside your data scope", {"handler_id": ["Out of your scope."]})
            complaint.handler_id = handler["id"]
            uow.emit("customers.complaint_assigned", {
                "complaint_id": complaint.id, "number": complaint.number, "customer_id": customer.id,
                "customer_name": customer.name, "subject": complaint.subject, "handler_id": handler["id"],
                "assigned_by": principal.user_id, "owner_id": customer.owner_id,
                "department_path": customer.department_path, "branch": customer.branch})
        if data["action"] == "resolve":
            if not data.get("result"):
                raise InvalidInput("A result is required to resolve", {"result": ["Required to resolve."]})
            complaint.result = data["result"]
        if data["action"] == "close":
            if data.get("satisfaction") is None:
                raise InvalidInput("Satisfaction is required to close", {"satisfaction": ["Required (1-5)."]})
            complaint.satisfaction = data["satisfaction"]
        complaint.status = status
        record_history(uow.session, complaint.customer_id, "complaint_" + status, principal.user_id,
                       id=complaint.id)
        uow.session.flush()
        return ComplaintOut().dump(complaint)
