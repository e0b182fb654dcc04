"""Use cases for SMS and notices (WSP-09): send through the provider, the sending log, opt-outs.

An opted-out number is refused before anything is sent or stored (422). The provider is called
inside the transaction that logs the message: with the recording provider that is exact; a
real provider must be idempotent on our message id (a rollback after sending would log nothing).
"""
from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import ownership_of
from crm_common.validation import load_body, load_query
from crm_workspace.calls import normalised_phone
from crm_workspace.models_library import SmsMessage, SmsOptOut
from crm_workspace.schemas_library import OptOutIn, OptOutOut, SmsIn, SmsOut, SmsQuery

SORTS = {"created_at": SmsMessage.created_at}
# a number is an opt-out's identity within its branch: it serves as the keyset tie-breaker
OPT_OUT_SORTS = {"phone": SmsOptOut.phone, "created_at": SmsOptOut.created_at}


def _opted_out(session, branch: str, phone: str) -> bool:
    return session.get(SmsOptOut, (branch, phone)) is not None


def send(uow, principal: Principal, payload, provider) -> dict:
    principal.require("sms.send")
    data = load_body(SmsIn(), payload)
    phone = normalised_phone(data["phone"])
    with uow:
        if _opted_out(uow.session, principal.branch, phone):
            raise InvalidInput("This number opted out of messages", {"phone": ["The number opted out."]})
        result = provider.send(phone, data["body"])
        message = SmsMessage(id=new_id(), **ownership_of(principal), phone=phone, body=data["body"],
                             status=result.status, provider=provider.name,
                             provider_message_id=result.provider_message_id, error=result.error)
        uow.session.add(message)
        uow.session.flush()
        return SmsOut().dump(message)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("sms.read")
    q = load_query(SmsQuery(), query)
    stmt = select(SmsMessage).where(scope_filter(principal, SmsMessage))
    if "phone" in q:
        stmt = stmt.where(SmsMessage.phone == (normalised_phone(q["phone"]) if q["phone"] else ""))
    if "status" in q:
        stmt = stmt.where(SmsMessage.status == q["status"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, SmsMessage.id, q, SORTS, "-created_at")
        return {"items": SmsOut(many=True).dump(rows), "next_cursor": cursor}


def add_opt_out(uow, principal: Principal, payload) -> dict:
    principal.require("sms.optouts")
    data = load_body(OptOutIn(), payload)
    phone = normalised_phone(data["phone"])
    with uow:
        uow.session.execute(pg_insert(SmsOptOut).values(
            branch=principal.branch, phone=phone, reason=data["reason"], created_by=principal.user_id)
            .on_conflict_do_nothing())
        return OptOutOut().dump(uow.session.get(SmsOptOut, (principal.branch, phone)))


def list_opt_outs(uow, principal: Principal, query) -> dict:
    principal.require("sms.optouts")
    q = load_query(ListQuery(), query)
    stmt = select(SmsOptOut).where(SmsOptOut.branch == principal.branch)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, SmsOptOut.phone, q, OPT_OUT_SORTS, "phone")
        return {"items": OptOutOut(many=True).dump(rows), "next_cursor": cursor}


def remove_opt_out(uow, principal: Principal, phone) -> None:
    principal.require("sms.optouts")
    phone = normalised_phone(phone)
    with uow:
        result = uow.session.execute(sql_delete(SmsOptOut).where(
            SmsOptOut.branch == principal.branch, SmsOptOut.phone == phone))
        if result.rowcount == 0:
            raise NotFound("This number has not opted out")
