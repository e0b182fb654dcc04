"""Login, refresh-token rotation, logout, password change (ADM-01)."""
import json
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.wrappers import Response

from crm_common.database import new_id
from crm_common.errors import CrmError, InvalidInput
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_gateway import settings
from crm_gateway.identity import directory, login_log, passwords, throttle, tokens
from crm_gateway.identity.models import RefreshToken, User
from crm_gateway.identity.permissions import combine, combined_fields
from crm_gateway.identity.revocation import revoke_session, revoke_tokens
from crm_gateway.identity.schemas import LoginIn, PasswordChangeIn, RefreshIn


class Unauthorized(CrmError):
    status, title = 401, "Unauthorized"


class TooManyAttempts(CrmError):
    status, title = 429, "Too many requests"

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


REFRESH_COOKIE = "crm_refresh"
# Only the auth routes ever need it: no other request carries the refresh token.
REFRESH_COOKIE_PATH = "/api/v1/auth"


def wants_cookie(payload) -> bool:
    return load_body(LoginIn(), payload)["cookie"]


def tokens_answer(pair: dict, as_cookie: bool) -> dict | Response:
    """The pair as JSON, or the access token as JSON and the refresh token as an HttpOnly cookie,
    which page scripts cannot read (the web console)."""
    if not as_cookie:
        return pair
    body = {key: value for key, value in pair.items() if key != "refresh_token"}
    response = Response(json.dumps(body), content_type="application/json")
    response.set_cookie(REFRESH_COOKIE, pair["refresh_token"], max_age=settings.REFRESH_TOKEN_SECONDS,
                        path=REFRESH_COOKIE_PATH, secure=True, httponly=True, samesite="Strict")
    return response


def cleared_cookie() -> Response:
    response = Response(status=204)
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, secure=True, httponly=True, samesite="Strict")
    return response


def principal_of(user: User) -> Principal:
    permissions, scope, scopes = combine(user.roles)
    return Principal(user_id=user.id, username=user.code, department_path=user.department.path,
                     branch=user.department.branch, scope=scope, permissions=permissions, scopes=scopes,
                     fields=combined_fields(user.roles))


def _token_pair(session, user: User, family_id: str) -> dict:
    refresh, refresh_hash = tokens.new_refresh_token()
    session.add(RefreshToken(id=new_id(), token_hash=refresh_hash, family_id=family_id, user_id=user.id,
                             expires_at=utcnow() + timedelta(seconds=settings.REFRESH_TOKEN_SECONDS)))
    return {"access_token": tokens.issue_access_token(principal_of(user), family_id), "refresh_token": refresh,
            "token_type": "Bearer", "expires_in": settings.ACCESS_TOKEN_SECONDS}


def login(session_factory, payload, client_ip: str, user_agent: str | None = None) -> dict:
    """The token pair; the caller reads the payload's `cookie` flag to choose where the refresh
    token goes. Every attempt on a known user goes into their login log."""
    data = load_body(LoginIn(), payload)
    username = data["username"]
    with session_factory() as session, session.begin():
        wait = throttle.retry_after_seconds(session, username, client_ip)
        if wait:
            raise TooManyAttempts(wait)
        user = session.execute(select(User).where(User.code == username)).scalar_one_or_none()
        ok = passwords.verify_password(user.password_hash if user else None, data["password"])
        if user is not None:
            outcome = login_log.WRONG_PASSWORD if not ok else login_log.SUCCEEDED if user.active else login_log.DISABLED
            login_log.record(session, user.id, outcome, client_ip, user_agent)
        if not ok or not user.active:
            throttle.record_failure(session, username, client_ip)
        else:
            throttle.clear(session, username, client_ip)
            return _token_pair(session, user, family_id=new_id())
    raise Unauthorized("Wrong user code or password, or the account is disabled")


def _presented_token(payload, cookie_token: str | None) -> str:
    token = load_body(RefreshIn(), payload).get("refresh_token") or cookie_token
    if not token:
        raise Unauthorized("A refresh token is required, in the body or the crm_refresh cookie")
    return token


def refresh(session_factory, payload, cookie_token: str | None = None) -> dict:
    token_hash = tokens.hash_refresh_token(_presented_token(payload, cookie_token))
    with session_factory() as session, session.begin():
        stored = session.execute(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        ).scalar_one_or_none()
        if stored is None or stored.expires_at <= utcnow():
            raise Unauthorized("Unknown or expired refresh token")
        if stored.revoked_at is None:
            user = session.get(User, stored.user_id)
            if user is None or not user.active:
                raise Unauthorized("The account is disabled")
            stored.revoked_at = utcnow()
            return _token_pair(session, user, family_id=stored.family_id)
        _revoke_family(session, stored.family_id)  # a rotated token came back: assume theft
    raise Unauthorized("Refresh token was already used; please log in again")


def _revoke_family(session, family_id: str) -> None:
    session.execute(update(RefreshToken).where(RefreshToken.family_id == family_id,
                                               RefreshToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
    revoke_session(session, family_id)  # and the access tokens issued with it


def logout(session_factory, principal: Principal, payload, cookie_token: str | None = None) -> None:
    """Ends the session the refresh token belongs to (only the caller's own)."""
    token = _presented_token(payload, cookie_token)
    with session_factory() as session, session.begin():
        stored = session.execute(select(RefreshToken).where(
            RefreshToken.token_hash == tokens.hash_refresh_token(token),
            RefreshToken.user_id == principal.user_id)).scalar_one_or_none()
        if stored is not None:
            _revoke_family(session, stored.family_id)


def change_password(session_factory, principal: Principal, payload) -> dict:
    """The new password, and every session of the user ended: the answer says so, and when."""
    data = load_body(PasswordChangeIn(), payload)
    with session_factory() as session, session.begin():
        # FOR UPDATE OF users: the department is joined in (outer join), which cannot be locked
        user = session.execute(select(User).where(User.id == principal.user_id)
                               .with_for_update(of=User)).unique().scalar_one_or_none()
        if user is None or not passwords.verify_password(user.password_hash, data["current_password"]):
            raise InvalidInput("Current password is wrong", {"current_password": ["Does not match."]})
        user.password_hash = passwords.hash_password(data["new_password"])
        revoke_tokens(session, user.id)
        ended = session.execute(update(RefreshToken).where(RefreshToken.user_id == user.id,
                                                           RefreshToken.revoked_at.is_(None))
                                .values(revoked_at=utcnow())).rowcount
        return {"id": user.id, "code": user.code, "changed_at": utcnow().isoformat(),
                "sessions_ended": ended, "sign_in_again": True}


def unlock(session_factory, principal: Principal, user_id: str) -> dict:
    """Lift the login delays on a user (ADM-01): a CAPTCHA-free way back for the real user."""
    user = directory.get_user(session_factory, principal, user_id)  # permission and branch checks
    with session_factory() as session, session.begin():
        cleared = throttle.unlock(session, user["code"])
    return {"id": user["id"], "code": user["code"], "failures_cleared": cleared}


def me(session_factory, principal: Principal) -> dict:
    with session_factory() as session:
        user = session.get(User, principal.user_id)
        if user is None:
            raise Unauthorized("Unknown user")
        current = principal_of(user)
        return {"id": user.id, "code": user.code, "name": user.name, "active": user.active,
                "department": {"id": user.department.id, "name": user.department.name,
                               "path": user.department.path},
                "branch": current.branch, "data_scope": current.scope,
                # complete, so that a client never has to know the default-and-overrides rule
                "data_scopes": {p: current.scope_for(p) for p in sorted(current.permissions)},
                "permissions": sorted(current.permissions),
                # the fields the caller's roles restrict (others are editable and whole)
                "fields": current.fields,
                "roles": [{"id": r.id, "name": r.name} for r in user.roles]}
