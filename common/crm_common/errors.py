"""Domain errors shared by services and the gateway.

Each maps to one HTTP status. They are registered with Nameko so that an error raised in
one service re-raises as the same type in the caller (gateway or another service).
"""
from nameko.exceptions import deserialize_to_instance


class CrmError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, detail: str = "", errors: dict | None = None):
        super().__init__(detail, errors or {})
        self.detail = detail
        self.errors = errors or {}


@deserialize_to_instance
class BadRequest(CrmError):
    status, title = 400, "Bad request"


@deserialize_to_instance
class Forbidden(CrmError):
    status, title = 403, "Forbidden"


@deserialize_to_instance
class NotFound(CrmError):
    status, title = 404, "Not found"


@deserialize_to_instance
class Conflict(CrmError):
    status, title = 409, "Conflict"


@deserialize_to_instance
class InvalidInput(CrmError):
    status, title = 422, "Unprocessable content"


@deserialize_to_instance
class Unavailable(CrmError):
    status, title = 503, "Service unavailable"
    retry_after = 1  # what fails here is a dependency that is usually back within seconds
