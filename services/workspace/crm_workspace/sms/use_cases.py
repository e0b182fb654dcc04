"""Use cases of SMS and notices (WSP-09): send through the provider, opt-outs.

An opted-out number is refused before anything is sent or stored (422). The provider is called
inside the transaction that logs the message: with the recording provider that is exact; a
real provider must be idempotent on our message id (a rollback after sending would log nothing).
"""
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import Principal
from crm_common.records import ownership_of
from crm_common.validation import load_body
from crm_workspace.calls.rules import normalised_phone
from crm_workspace.sms.models import SmsMessage, SmsOptOut
from crm_workspace.sms.queries import opted_out
from crm_workspace.sms.schemas import OptOutIn, OptOutOut, SmsIn, SmsOut


def send(uow, principal: Principal, payload, provider) -> dict:
    principal.require("sms.send")
    data = load_body(SmsIn(), payload)
    phone = normalised_phone(data["phone"])
    with uow:
        if opted_out(uow.session, principal.branch, phone):
            raise InvalidInput("This number opted out of messages", {"phone": ["The number opted out."]})
        result = provider.send(phone, data["body"])
        message = SmsMessage(id=new_id(), **ownership_of(principal), phone=phone, body=data["body"],
                             status=result.status, provider=provider.name,
                             provider_message_id=result.provider_message_id, error=result.error)
        uow.session.add(message)
        uow.session.flush()
        return SmsOut().dump(message)


def add_opt_out(uow, principal: Principal, payload) -> dict:
    principal.require("sms.optouts")
    data = load_body(OptOutIn(), payload)
    phone = normalised_phone(data["phone"])
    with uow:
        uow.session.execute(pg_insert(SmsOptOut).values(
            branch=principal.branch, phone=phone, reason=data["reason"], created_by=principal.user_id)
            .on_conflict_do_nothing())
        return OptOutOut().dump(uow.session.get(SmsOptOut, (principal.branch, phone)))


def remove_opt_out(uow, principal: Principal, phone) -> None:
    principal.require("sms.optouts")
    phone = normalised_phone(phone)
    with uow:
        result = uow.session.execute(sql_delete(SmsOptOut).where(
            SmsOptOut.branch == principal.branch, SmsOptOut.phone == phone))
        if result.rowcount == 0:
            raise NotFound("This number has not opted out")
