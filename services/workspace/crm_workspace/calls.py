"""Use cases for the call log and the handling queue (WSP-03): quick entry of an incoming call,
the number matched to a customer and contact (RPC to customers), pending → handled."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_workspace import categories, phones
from crm_workspace.models_calls import CallRecord
from crm_workspace.schemas_calls import CallHandleIn, CallIn, CallOut, CallQuery

SORTS = {"received_at": CallRecord.received_at}
NO_MATCH = {"customer_id": None, "customer_name": None, "contact_id": None, "contact_name": None}


def normalised_phone(raw: str, field: str = "phone") -> str:
    phone = phones.normalise(raw)
    if phone is None:
        raise InvalidInput("Invalid phone number", {field: ["Not a phone number."]})
    return phone


def create(uow, principal: Principal, payload, lookup) -> dict:
    """`lookup(phone)` asks customers who is calling; it runs before the transaction opens so
    no database connection waits on another service."""
    principal.require("calls.write")
    data = load_body(CallIn(), payload)
    data["phone"] = normalised_phone(data["phone"])
    match = lookup(data["phone"]) or NO_MATCH
    with uow:
        if data["category_id"]:
            data["category_id"] = categories.find(uow.session, principal, data["category_id"], "business").id
        data["received_at"] = data["received_at"] or utcnow()
        call = CallRecord(id=new_id(), **ownership_of(principal), **data, **match, status="pending")
        uow.session.add(call)
        uow.session.flush()
        return CallOut().dump(call)


def get(uow, principal: Principal, call_id) -> dict:
    principal.require("calls.read")
    with uow:
        return CallOut().dump(get_in_scope(uow.session, CallRecord, call_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    """The handling queue is `?status=pending`."""
    principal.require("calls.read")
    q = load_query(CallQuery(), query)
    stmt = select(CallRecord).where(scope_filter(principal, CallRecord))
    if "status" in q:
        stmt = stmt.where(CallRecord.status == q["status"])
    if "phone" in q:
        phone = phones.normalise(q["phone"])
        stmt = stmt.where(CallRecord.phone == (phone or q["phone"]))
    if "customer_id" in q:
        stmt = stmt.where(CallRecord.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, CallRecord.id, q, SORTS, "-received_at")
        return {"items": CallOut(many=True).dump(rows), "next_cursor": cursor}


def handle(uow, principal: Principal, call_id, payload) -> dict:
    principal.require("calls.write")
    data = load_body(CallHandleIn(), payload)
    with uow:
        call = get_in_scope(uow.session, CallRecord, call_id, principal, for_update=True)
        if call.status != "pending":
            raise Conflict("This call was already handled")
        call.status, call.result = "handled", data["result"]
        call.handled_at, call.handled_by = utcnow(), principal.user_id
        uow.session.flush()
        return CallOut().dump(call)
