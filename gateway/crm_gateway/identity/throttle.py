"""Failed-login throttling, kept in the database so every gateway replica sees the same count."""
from datetime import timedelta

from sqlalchemy import delete, func, or_, select

from crm_common.database import new_id
from crm_common.records import utcnow
from crm_gateway import settings
from crm_gateway.identity.models import LoginFailure


def retry_after_seconds(session, username: str, client_ip: str) -> int:
    """0 if a login may be tried now, else how long to wait."""
    since = utcnow() - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    for column, value, limit in ((LoginFailure.username, username, settings.LOGIN_MAX_FAILURES_PER_USER),
                                 (LoginFailure.client_ip, client_ip, settings.LOGIN_MAX_FAILURES_PER_IP)):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.failed_at))
            .where(column == value, LoginFailure.failed_at > since)).one()
        if count >= limit:
            return max(1, int((oldest - since).total_seconds()) + 1)
    return 0


def record_failure(session, username: str, client_ip: str) -> None:
    session.add(LoginFailure(id=new_id(), username=username, client_ip=client_ip))


def clear(session, username: str) -> None:
    old = utcnow() - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    session.execute(delete(LoginFailure).where(
        or_(LoginFailure.username == username, LoginFailure.failed_at < old)))
