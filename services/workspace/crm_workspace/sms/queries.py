"""Reads of SMS: the sending log (短信查询) in the caller's scope, the branch's opt-outs."""
from sqlalchemy import select

from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_workspace.calls.rules import normalised_phone
from crm_workspace.sms.models import SmsMessage, SmsOptOut
from crm_workspace.sms.schemas import OptOutOut, SmsOut, SmsQuery

SORTS = {"created_at": SmsMessage.created_at}
# a number is an opt-out's identity within its branch: it serves as the keyset tie-breaker
OPT_OUT_SORTS = {"phone": SmsOptOut.phone, "created_at": SmsOptOut.created_at}


def opted_out(session, branch: str, phone: str) -> bool:
    return session.get(SmsOptOut, (branch, phone)) is not None


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


def list_opt_outs(uow, principal: Principal, query) -> dict:
    principal.require("sms.optouts")
    q = load_query(ListQuery(), query)
    stmt = select(SmsOptOut).where(SmsOptOut.branch == principal.branch)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, SmsOptOut.phone, q, OPT_OUT_SORTS, "phone")
        return {"items": OptOutOut(many=True).dump(rows), "next_cursor": cursor}
