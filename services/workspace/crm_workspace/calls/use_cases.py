"""Use cases of the call log and the handling queue (WSP-03): quick entry of an incoming call,
the number matched to a customer and contact (clients.py asks customers), pending → handled;
work orders (工单) raised from calls, open → closed, assigned (transferred) while open."""
from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal, in_scope
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body
from crm_workspace.calls.models import CallRecord, WorkOrder
from crm_workspace.calls.rules import CALL, WORK_ORDER, normalised_phone
from crm_workspace.calls.schemas import (CallHandleIn, CallIn, CallOut, WorkOrderAssignIn, WorkOrderCloseIn, WorkOrderIn,
                                         WorkOrderOut)
from crm_workspace.categories.queries import find as find_category

NO_MATCH = {"customer_id": None, "customer_name": None, "contact_id": None, "contact_name": None}


def create_call(uow, principal: Principal, payload, lookup) -> dict:
    """`lookup(phone)` asks customers who is calling; it runs before the transaction opens so
    no database connection waits on another service."""
    principal.require("calls.write")
    data = load_body(CallIn(), payload)
    data["phone"] = normalised_phone(data["phone"])
    match = lookup(data["phone"]) or NO_MATCH
    with uow:
        if data["category_id"]:
            data["category_id"] = find_category(uow.session, principal, data["category_id"], "business").id
        data["received_at"] = data["received_at"] or utcnow()
        call = CallRecord(id=new_id(), **ownership_of(principal), **data, **match, status="pending")
        uow.session.add(call)
        uow.session.flush()
        return CallOut().dump(call)


def handle_call(uow, principal: Principal, call_id, payload) -> dict:
    principal.require("calls.write")
    data = load_body(CallHandleIn(), payload)
    with uow:
        call = get_in_scope(uow.session, CallRecord, call_id, principal, for_update=True)
        CALL.apply(call, "handle")
        call.result, call.handled_at, call.handled_by = data["result"], utcnow(), principal.user_id
        uow.session.flush()
        return CallOut().dump(call)


def create_work_order(uow, principal: Principal, payload) -> dict:
    principal.require("calls.write")
    data = load_body(WorkOrderIn(), payload)
    with uow:
        category = find_category(uow.session, principal, data["category_id"], "business")
        call = None
        if data["call_id"]:
            # a call the caller cannot see is the same as no call: 404 keeps it from leaking
            call = get_in_scope(uow.session, CallRecord, data["call_id"], principal)
        order = WorkOrder(
            id=new_id(), number=uow.document_number("work_order", principal.branch), **ownership_of(principal),
            call_id=call.id if call else None, category_id=category.id, title=data["title"],
            description=data["description"], customer_id=call.customer_id if call else None,
            source=data["source"] or (call.source if call else "other"), status="open")
        uow.session.add(order)
        uow.session.flush()
        return WorkOrderOut().dump(order)


def close_work_order(uow, principal: Principal, order_id, payload) -> dict:
    principal.require("calls.write")
    data = load_body(WorkOrderCloseIn(), payload)
    with uow:
        order = get_in_scope(uow.session, WorkOrder, order_id, principal, for_update=True)
        WORK_ORDER.apply(order, "close")
        order.resolution, order.closed_at = data["resolution"], utcnow()
        uow.session.flush()
        return WorkOrderOut().dump(order)


def assign_work_order(uow, principal: Principal, order_id, payload) -> dict:
    """Hand an open work order to someone (the gateway resolved the user): it moves into their
    department with them, so they must be active and inside the caller's scope."""
    principal.require("calls.write")
    assignee = load_body(WorkOrderAssignIn(), payload)["assignee"]
    if not assignee["active"]:
        raise InvalidInput("The assignee is not an active user", {"assignee_id": ["Inactive or unknown user."]})
    if not in_scope(principal, assignee["id"], assignee["department_path"], assignee["branch"], "calls.write"):
        raise InvalidInput("The assignee is outside your data scope", {"assignee_id": ["Out of your scope."]})
    with uow:
        order = get_in_scope(uow.session, WorkOrder, order_id, principal, for_update=True)
        WORK_ORDER.apply(order, "assign")
        if order.owner_id == assignee["id"]:
            raise Conflict("The work order is assigned to this user already")
        order.owner_id, order.department_path = assignee["id"], assignee["department_path"]
        uow.session.flush()
        return WorkOrderOut().dump(order)
