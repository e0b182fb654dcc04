"""The login log (登录日志, issue 17): every password login of a known user, won or refused, with
the client's address and browser. An administrator reads any user's of their branch (as they
manage the user), every user reads their own (`GET /me/logins`): "was that me?".

Logins by an unknown user code name nobody, so they are throttled (throttle.py) and kept in the
operation log only.
"""
from datetime import datetime

from marshmallow import Schema, fields, validate
from sqlalchemy import BigInteger, DateTime, String, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_gateway.identity import directory
from crm_gateway.identity.models import Base

SUCCEEDED, WRONG_PASSWORD, DISABLED = "succeeded", "wrong_password", "disabled"
OUTCOMES = (SUCCEEDED, WRONG_PASSWORD, DISABLED)


class LoginRecord(Base):
    __tablename__ = "login_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(Uuid(as_uuid=False))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    outcome: Mapped[str] = mapped_column(String(20))
    client_ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class LoginLogQuery(ListQuery):
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))


class LoginRecordOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    outcome = fields.String()
    client_ip = fields.String()
    user_agent = fields.String()


def record(session, user_id: str, outcome: str, client_ip: str | None, user_agent: str | None) -> None:
    """In the login's own transaction: the attempt and its record commit together."""
    session.add(LoginRecord(user_id=user_id, outcome=outcome, client_ip=client_ip,
                            user_agent=(user_agent or None) and user_agent[:300]))


def _page(session_factory, user_id: str, query) -> dict:
    q = load_query(LoginLogQuery(), query)
    stmt = select(LoginRecord).where(LoginRecord.user_id == user_id)
    if "outcome" in q:
        stmt = stmt.where(LoginRecord.outcome == q["outcome"])
    with session_factory() as session:
        rows, cursor = keyset_page(session, stmt, LoginRecord.id, q, {"at": LoginRecord.at}, "-at")
        return {"items": LoginRecordOut(many=True).dump(rows), "next_cursor": cursor}


def mine(session_factory, principal: Principal, query) -> dict:
    return _page(session_factory, principal.user_id, query)


def of_user(session_factory, principal: Principal, user_id, query) -> dict:
    user = directory.get_user(session_factory, principal, user_id)  # admin.users, and the user's branch
    return _page(session_factory, user["id"], query)
