"""Marshmallow helpers: load a payload or raise the matching domain error."""
from marshmallow import RAISE, Schema, ValidationError

from crm_common.errors import BadRequest, InvalidInput


class StrictSchema(Schema):
    """Unknown fields are an error: a client can never smuggle owner, status or totals in."""

    class Meta:
        unknown = RAISE


def _normalise(messages):
    if isinstance(messages, dict):
        return messages
    return {"_schema": messages}


def load_body(schema: Schema, payload, partial=False) -> dict:
    if not isinstance(payload, dict):
        raise InvalidInput("Request body must be a JSON object", {"_schema": ["Expected an object."]})
    try:
        return schema.load(payload, partial=partial)
    except ValidationError as exc:
        raise InvalidInput("Validation failed", _normalise(exc.messages)) from None


def load_query(schema: Schema, query) -> dict:
    """Query strings are malformed requests (400) rather than semantically invalid ones."""
    try:
        return schema.load(query or {})
    except ValidationError as exc:
        raise BadRequest("Invalid query parameters", _normalise(exc.messages)) from None
