"""Domain errors shared by services and the gateway.

Each maps to one HTTP status. This module stays free of framework imports so that pure rule
modules may raise these; `crm_common.remote_errors` registers them with Nameko so that an error
raised in one service re-raises as the same type in the caller (gateway or another service).
"""


class CrmError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, detail: str = "", errors: dict | None = None):
        super().__init__(detail, errors or {})
        self.detail = detail
        self.errors = errors or {}


class BadRequest(CrmError):
    status, title = 400, "Bad request"


class Forbidden(CrmError):
    status, title = 403, "Forbidden"


class NotFound(CrmError):
    status, title = 404, "Not found"


class Conflict(CrmError):
    status, title = 409, "Conflict"


class InvalidInput(CrmError):
    status, title = 422, "Unprocessable content"


class Unavailable(CrmError):
    status, title = 503, "Service unavailable"
    retry_after = 1  # what fails here is a dependency that is usually back within seconds
