"""Complaints and their handling workflow (CUS-08)."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.principal import Principal, in_scope
from crm_common.pagination import keyset_page
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body, load_query
from crm_customers import customers, history
from crm_customers.aftersales_models import Complaint
from crm_customers.aftersales_schemas import ComplaintOut
from crm_customers.complaint_rules import ComplaintTransitionError, next_status
from crm_customers.schemas_more import ComplaintActionIn, ComplaintIn, ResolvedUser, SubListQuery


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(ComplaintIn(), payload)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        complaint = Complaint(id=new_id(), number=uow.next_number(f"CP-{principal.branch}"),
                              customer_id=customer.id, author_id=principal.user_id, status="open",
                              created_at=utcnow(), **data)
        uow.session.add(complaint)
        uow.session.flush()
        history.record(uow.session, customer.id, "complaint_opened", principal.user_id, id=complaint.id)
        return ComplaintOut().dump(complaint)


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require("customers.read")
    q = load_query(SubListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        stmt = select(Complaint).where(Complaint.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, Complaint.id, q, {"created_at": Complaint.created_at},
                                   "-created_at")
        return {"items": ComplaintOut(many=True).dump(rows), "next_cursor": cursor}


def act(uow, principal: Principal, complaint_id, payload, handler=None) -> dict:
    """assign (handler resolved by the gateway) → start → resolve (result) → close (satisfaction)."""
    principal.require("customers.write")
    data = load_body(ComplaintActionIn(), payload)
    handler = load_body(ResolvedUser(), handler) if handler is not None else None
    if not is_uuid(complaint_id):
        raise NotFound("Complaint not found")
    with uow:
        complaint = uow.session.get(Complaint, str(complaint_id), with_for_update=True)
        if complaint is None:
            raise NotFound("Complaint not found")
        customers.find_parent(uow.session, principal, complaint.customer_id, "Complaint")
        try:
            status = next_status(complaint.status, data["action"])
        except ComplaintTransitionError as exc:
            raise Conflict(str(exc)) from None
        if data["action"] == "assign":
            if not handler or handler["id"] != str(data.get("handler_id")) or not handler["active"]:
                raise InvalidInput("A handler is required", {"handler_id": ["Unknown or inactive user."]})
            if not in_scope(principal, handler["id"], handler["department_path"], handler["branch"]):
                raise InvalidInput("The handler is outside your data scope", {"handler_id": ["Out of your scope."]})
            complaint.handler_id = handler["id"]
        if data["action"] == "resolve":
            if not data.get("result"):
                raise InvalidInput("A result is required to resolve", {"result": ["Required to resolve."]})
            complaint.result = data["result"]
        if data["action"] == "close":
            if data.get("satisfaction") is None:
                raise InvalidInput("Satisfaction is required to close", {"satisfaction": ["Required (1-5)."]})
            complaint.satisfaction = data["satisfaction"]
        complaint.status = status
        history.record(uow.session, complaint.customer_id, "complaint_" + status, principal.user_id,
                       id=complaint.id)
        uow.session.flush()
        return ComplaintOut().dump(complaint)
