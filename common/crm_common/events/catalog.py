"""Every event the suite exchanges: one versioned marshmallow schema per event name.

Wire format (the envelope): name, version, event_id, occurred_at, branch, correlation_id, data.
Exchange `<source>.events` (topic), routing key `<type>`, so `sales.order_approved` travels on
exchange `sales.events` with routing key `order_approved`. See docs/events.md.
A breaking change to `data` gets a new version; handlers reject versions they do not know.
"""
import uuid
from datetime import datetime, timezone

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate

Money = lambda **kw: fields.Decimal(as_string=True, places=2, required=True, **kw)  # noqa: E731
Quantity = lambda **kw: fields.Decimal(as_string=True, required=True, **kw)  # noqa: E731
Id = lambda **kw: fields.String(required=True, validate=validate.Length(equal=36), **kw)  # noqa: E731


class _Data(Schema):
    class Meta:
        unknown = RAISE


class _Owned(_Data):
    """The owning record's scope columns travel with every event so receivers can scope too."""
    owner_id = Id()
    department_path = fields.String(required=True)
    branch = fields.String(required=True)


class OrderLine(_Data):
    line_id = Id()
    product_id = Id()
    product_name = fields.String(required=True)
    quantity = Quantity()
    unit_price = Money()
    amount = Money()


class OrderSubmitted(_Owned):
    order_id = Id()
    number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = fields.String(required=True, validate=validate.Length(equal=3))


class OrderApproved(OrderSubmitted):
    payment_terms_days = fields.Integer(required=True)
    approved_by = Id()
    lines = fields.List(fields.Nested(OrderLine), required=True)


class ShipmentAllowed(_Owned):
    fulfilment_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    total = Money()
    currency = fields.String(required=True, validate=validate.Length(equal=3))
    payment_terms_days = fields.Integer(required=True)


class ReceivableOpened(_Owned):
    receivable_id = Id()
    order_id = Id()
    order_number = fields.String(required=True)
    customer_id = Id()
    amount = Money()
    currency = fields.String(required=True, validate=validate.Length(equal=3))
    due_date = fields.Date(required=True)


CATALOG: dict[tuple[str, int], type[Schema]] = {
    ("sales.order_submitted", 1): OrderSubmitted,
    ("sales.order_approved", 1): OrderApproved,
    ("logistics.shipment_allowed", 1): ShipmentAllowed,
    ("finance.receivable_opened", 1): ReceivableOpened,
}
CURRENT_VERSION = {name: version for name, version in CATALOG}


class Envelope(Schema):
    class Meta:
        unknown = INCLUDE

    name = fields.String(required=True)
    version = fields.Integer(required=True)
    event_id = fields.UUID(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    branch = fields.String(required=True)
    correlation_id = fields.String(allow_none=True, load_default=None)
    data = fields.Dict(required=True)


class UnknownEvent(ValueError):
    pass


def build_envelope(name: str, data: dict, branch: str, correlation_id: str | None) -> dict:
    """Validate and serialise `data` for the outbox (raises ValidationError on a bad payload)."""
    version = CURRENT_VERSION.get(name)
    if version is None:
        raise UnknownEvent(name)
    schema = CATALOG[(name, version)]()
    errors = schema.validate(schema.dump(data))
    if errors:
        raise ValidationError(errors)
    return {
        "name": name, "version": version, "event_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(timezone.utc).isoformat(), "branch": branch,
        "correlation_id": correlation_id, "data": schema.dump(data),
    }


def parse_envelope(body: dict) -> tuple[dict, dict]:
    """Return (envelope, loaded data); raises ValidationError/UnknownEvent on a bad message."""
    envelope = Envelope().load(body)
    key = (envelope["name"], envelope["version"])
    if key not in CATALOG:
        raise UnknownEvent(f"{key[0]} v{key[1]}")
    envelope["event_id"] = str(envelope["event_id"])
    return envelope, CATALOG[key]().load(envelope["data"])


def exchange_and_key(name: str) -> tuple[str, str]:
    source, event_type = name.split(".", 1)
    return f"{source}.events", event_type
