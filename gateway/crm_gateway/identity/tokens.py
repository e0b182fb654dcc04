"""Access tokens (JWT, pinned algorithm, exp/iss/aud checked) and opaque refresh tokens."""
import hashlib
import secrets
import time
import uuid
from typing import NamedTuple

import jwt

from crm_common.principal import Principal
from crm_gateway import settings


class InvalidToken(Exception):
    pass


def issue_access_token(principal: Principal, session_id: str = "") -> str:
    now_ms = int(time.time() * 1000)
    now = now_ms // 1000
    claims = {
        "sub": principal.user_id, "iss": settings.JWT_ISSUER, "aud": settings.JWT_AUDIENCE,
        "iat": now, "iam": now_ms, "exp": now + settings.ACCESS_TOKEN_SECONDS, "jti": uuid.uuid4().hex, "sid": session_id,
        "usr": principal.username, "dep": principal.department_path, "br": principal.branch,
        "scp": principal.scope, "prm": sorted(principal.permissions), "scs": principal.scopes,
        **({"fld": principal.fields} if principal.fields else {}),
    }
    return jwt.encode(claims, settings.jwt_secret(), algorithm=settings.JWT_ALGORITHM)


class AccessToken(NamedTuple):
    principal: Principal
    issued_ms: int  # for revocation of every token a user had (password change, disabling)
    session_id: str  # the refresh-token family it was issued with: ended by logout or token theft


# Tokens already verified, with their expiry: a client sends the same token with every request
# for its whole life, and verifying it (base64, HMAC, claims, the principal) cost more of the
# gateway's CPU per request than routing it. Keyed by the secret too, so a changed secret
# verifies again; bounded: emptied when full. Revocation is checked on every request regardless.
_VERIFIED: dict[tuple[str, str], tuple[int, "AccessToken"]] = {}
VERIFIED_MAX = 2_000  # a branch has hundreds of users signed in at once, each entry ~2 KB: RSS stays flat


def decode_access_token(token: str) -> AccessToken:
    secret = settings.jwt_secret()
    known = _VERIFIED.get((secret, token))
    if known is not None:
        if known[0] > time.time():  # as PyJWT: expired once exp <= now
            return known[1]
        del _VERIFIED[(secret, token)]
    try:
        claims = jwt.decode(
            token, secret, algorithms=[settings.JWT_ALGORITHM],
            audience=settings.JWT_AUDIENCE, issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        principal = Principal(user_id=claims["sub"], username=claims["usr"], department_path=claims["dep"],
                              branch=claims["br"], scope=claims["scp"], permissions=frozenset(claims["prm"]),
                              scopes=dict(claims.get("scs") or {}), fields=dict(claims.get("fld") or {}))
        access = AccessToken(principal, int(claims.get("iam", claims["iat"] * 1000)), str(claims.get("sid", "")))
        expires = int(claims["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
        raise InvalidToken(str(exc)) from None
    if len(_VERIFIED) >= VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(secret, token)] = (expires, access)
    return access


def new_refresh_token() -> tuple[str, str]:
    """(the token handed to the client once, the hash we store)"""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
