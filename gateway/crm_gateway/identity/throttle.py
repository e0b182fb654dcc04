"""Failed-login throttling, kept in the database so every gateway replica sees the same count.

It slows guessing down without handing an attacker a lock-out tool: failures count per user
code *and* client address, so wrong passwords sent from one place never stop the real user
logging in from another. After LOGIN_FREE_FAILURES for a pair, each further attempt from that
pair waits LOGIN_BASE_DELAY × 2^(extra failures) after the last failure, up to
LOGIN_MAX_DELAY_SECONDS. An address failing for many user codes (password spraying) is
limited as a whole. An administrator can lift a user's delays at once (`unlock`); successful
and throttled attempts are in the operation log under the user code.
"""
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select

from crm_common.database import new_id
from crm_common.records import utcnow
from crm_gateway import settings
from crm_gateway.identity.models import LoginFailure


def delay_seconds(failures: int) -> float:
    """How long after the last failure a pair with `failures` recent failures must wait."""
    extra = failures - settings.LOGIN_FREE_FAILURES
    if extra < 0:
        return 0.0
    return min(settings.LOGIN_MAX_DELAY_SECONDS, settings.LOGIN_BASE_DELAY_SECONDS * 2 ** extra)


def retry_after_seconds(session, username: str, client_ip: str) -> int:
    """0 if a login may be tried now, else how long to wait."""
    now = utcnow()
    since = now - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    count, last = session.execute(
        select(func.count(), func.max(LoginFailure.failed_at))
        .where(LoginFailure.username == username, LoginFailure.client_ip == client_ip,
               LoginFailure.failed_at > since)).one()
    wait = (last + timedelta(seconds=delay_seconds(count)) - now).total_seconds() if count else 0
    if wait > 0:
        return max(1, int(wait) + 1)
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.failed_at))
        .where(LoginFailure.client_ip == client_ip, LoginFailure.failed_at > since)).one()
    if count >= settings.LOGIN_MAX_FAILURES_PER_IP:
        return max(1, int((oldest - since).total_seconds()) + 1)
    return 0


def record_failure(session, username: str, client_ip: str) -> None:
    session.add(LoginFailure(id=new_id(), username=username, client_ip=client_ip))


def clear(session, username: str, client_ip: str) -> None:
    """After a successful login: that pair starts afresh (others' failures still count)."""
    old = utcnow() - timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    session.execute(delete(LoginFailure).where(or_(
        and_(LoginFailure.username == username, LoginFailure.client_ip == client_ip),
        LoginFailure.failed_at < old)))


def unlock(session, username: str) -> int:
    """An administrator lifts every delay on a user code; returns how many failures were cleared."""
    return session.execute(delete(LoginFailure).where(LoginFailure.username == username)).rowcount
