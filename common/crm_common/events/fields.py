"""Building blocks of event data schemas."""
from marshmallow import RAISE, Schema, fields, validate

Money = lambda **kw: fields.Decimal(as_string=True, places=2, required=True, **kw)  # noqa: E731
Quantity = lambda **kw: fields.Decimal(as_string=True, required=True, **kw)  # noqa: E731
Id = lambda **kw: fields.String(required=True, validate=validate.Length(equal=36), **kw)  # noqa: E731
Currency = lambda **kw: fields.String(required=True, validate=validate.Length(equal=3), **kw)  # noqa: E731


class EventData(Schema):
    class Meta:
        unknown = RAISE


class OwnedEventData(EventData):
    """The owning record's scope columns travel with every event so receivers can scope too."""
    owner_id = Id()
    department_path = fields.String(required=True)
    branch = fields.String(required=True)


class HandOverDone(OwnedEventData):
    """A service moved a departing user's records (`<service>.handover_done`): how many of each
    kind, e.g. {"opportunities": 3, "quotes": 1}. The scope is the receiver's."""
    handover_id = Id()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class PlannedInstalment(EventData):
    """One instalment of a payment plan agreed on the order (a deposit is the first one)."""
    due_date = fields.Date(required=True)
    amount = Money()


def payment_plan():
    """Optional: an order approved without a plan carries none."""
    return fields.List(fields.Nested(PlannedInstalment), load_default=list)
