"""RFC 9457 problem responses; the only place errors become HTTP."""
import json
import logging

from werkzeug.wrappers import Response

from crm_common.errors import CrmError, Unavailable
from crm_common.rpc import is_transient

log = logging.getLogger(__name__)
PROBLEM_BASE = "https://crm-suite.dev/problems/"


def problem(status: int, title: str, detail: str = "", errors: dict | None = None, headers=None) -> Response:
    body = {"type": f"{PROBLEM_BASE}{title.lower().replace(' ', '-')}", "title": title,
            "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status, headers=headers,
                    content_type="application/problem+json")


def from_error(exc: Exception) -> Response:
    if is_transient(exc):  # the gateway's own database blinked: worth a retry, not a 500
        log.warning("transient database error: %s", exc)
        exc = Unavailable("The database was briefly unavailable; please retry")
    if isinstance(exc, CrmError):
        headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        return problem(exc.status, exc.title, exc.detail, exc.errors, headers)
    log.exception("unhandled error")  # the stack trace goes to the log, never to the client
    return problem(500, "Internal error", "Something went wrong; it has been logged.")
