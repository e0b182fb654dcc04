"""Every event the suite exchanges: one versioned marshmallow schema per event name.

Wire format (the envelope): name, version, event_id, occurred_at, branch, correlation_id, data.
Exchange `<source>.events` (topic), routing key `<type>`, so `sales.order_approved` travels on
exchange `sales.events` with routing key `order_approved`. See docs/events.md.
A breaking change to `data` gets a new version; handlers reject versions they do not know.
"""
import uuid

from marshmallow import INCLUDE, Schema, ValidationError, fields

from crm_common import clock
from crm_common.events import customers, finance, logistics, sales, workspace

# One module per emitting service; a new event or version is added there.
CATALOG: dict[tuple[str, int], type[Schema]] = {**sales.EVENTS, **logistics.EVENTS, **finance.EVENTS,
                                                 **customers.EVENTS, **workspace.EVENTS}
CURRENT_VERSION: dict[str, int] = {}
for _name, _version in CATALOG:  # events are emitted at their newest version
    CURRENT_VERSION[_name] = max(_version, CURRENT_VERSION.get(_name, 0))


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
        # the clock's instant: a test suite's clock too (crm_common.clock), so periods follow it
        "occurred_at": clock.now().isoformat(), "branch": branch,
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
