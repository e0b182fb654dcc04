"""Marshmallow helpers: load a payload or raise the matching domain error."""
from datetime import datetime, timezone
from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from crm_common.errors import BadRequest, InvalidInput


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class StrictSchema(Schema):
    """Unknown fields are an error: a client can never smuggle owner, status or totals in."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _refuse_nul(self, data, **kwargs):
        # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
        if _has_nul(data):
            raise ValidationError("Text must not contain NUL characters.")
        return data

    @validates_schema
    def _storable_instants(self, data, **kwargs):
        # PostgreSQL keeps instants in UTC: one whose offset carries it outside years 1-9999 there
        # is stored, then breaks every later read of its list, for everyone.
        out_of_range = sorted(key for key, value in data.items() if isinstance(value, datetime) and not _storable(value))
        if out_of_range:
            raise ValidationError({key: ["Out of range."] for key in out_of_range})


def _storable(value: datetime) -> bool:
    try:
        value.astimezone(timezone.utc)
        return True
    except OverflowError:
        return False


class ResolvedUser(StrictSchema):
    """A user as the gateway resolved it from its directory (never client input): who a record is
    assigned or transferred to."""
    id = fields.String(required=True)
    department_path = fields.String(required=True)
    branch = fields.String(required=True)
    active = fields.Boolean(required=True)


class NoInput(StrictSchema):
    """The body of an action that takes no input: none, or {}; a field sent along is refused, not ignored."""


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


def load_patch(schema_cls: type[Schema], payload, current) -> tuple[dict, set[str]]:
    """A PATCH: the fields sent replace the record's, the rest stay; (the whole, validated as on
    create so that rules across fields still hold, and the names of the fields sent).

    `current` is the record (or a dict) in the schema's terms. The payload is not loaded on its own
    first: a schema's rules across fields expect the whole."""
    if not isinstance(payload, dict):
        raise InvalidInput("Request body must be a JSON object", {"_schema": ["Expected an object."]})
    return load_body(schema_cls(), {**schema_cls().dump(current), **payload}), set(payload)


def load_query(schema: Schema, query) -> dict:
    """Query strings are malformed requests (400) rather than semantically invalid ones."""
    try:
        return schema.load(query or {})
    except ValidationError as exc:
        raise BadRequest("Invalid query parameters", _normalise(exc.messages)) from None


# Decimal inputs are rejected, not rounded, when they have more places than the column keeps:
# an amount the database would silently round is a wrong amount. The bounds keep values inside
# Numeric(18,2) / Numeric(14,3), so bad input is a 422 and never a database error.
MONEY_MAX = Decimal("1e16")
QUANTITY_MAX = Decimal("1e11")


def max_places(places: int):
    def check(value: Decimal):
        if value.normalize().as_tuple().exponent < -places:
            raise ValidationError(f"At most {places} decimal places.")
    return check


def money_in(*, positive: bool = False, **kwargs) -> fields.Decimal:
    return fields.Decimal(allow_nan=False, validate=[
        validate.Range(min=0, max=MONEY_MAX, min_inclusive=not positive, max_inclusive=False),
        max_places(2)], **kwargs)


def quantity_in(**kwargs) -> fields.Decimal:
    """Quantities are always positive: zero or negative lines make no sense anywhere."""
    return fields.Decimal(allow_nan=False, validate=[
        validate.Range(min=0, max=QUANTITY_MAX, min_inclusive=False, max_inclusive=False),
        max_places(3)], **kwargs)
