"""The iCalendar feed a phone subscribes to (WSP-02). Calendar apps cannot send a Bearer
token, so the feed URL carries its own: the user id signed with CRM_SECRET_KEY for this one
purpose. Each fetch loads the user again, so a disabled user's feed stops at once and role
changes apply; the URL itself is a credential to keep private (like any calendar feed link).
"""
import base64
import hashlib
import hmac

from sqlalchemy import select
from werkzeug.wrappers import Response

from crm_common import config
from crm_common.errors import NotFound
from crm_gateway.identity.auth import principal_of
from crm_gateway.identity.models import User

PURPOSE = b"calendar-feed:v1:"


def _sign(user_id: str) -> str:
    return hmac.new(config.secret_key(), PURPOSE + user_id.encode(), hashlib.sha256).hexdigest()[:40]


def feed_token(ctx) -> dict:
    user_id = ctx.principal.user_id
    token = base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=") + "." + _sign(user_id)
    return {"token": token, "url": f"/api/v1/calendar/feed/{token}.ics"}


def _user_of(token: str) -> str | None:
    try:
        encoded, signature = token.split(".", 1)
        user_id = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return user_id if hmac.compare_digest(_sign(user_id), signature) else None


def feed(ctx) -> Response:
    user_id = _user_of(ctx.params["token"])
    with ctx.db() as session:
        user = session.execute(select(User).where(User.id == user_id)).scalar_one_or_none() if user_id else None
        if user is None or not user.active:
            raise NotFound("No such calendar feed")
        ctx.principal = principal_of(user)
    text = ctx.call("workspace", "calendar_feed", [])
    return Response(text, status=200, content_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})
