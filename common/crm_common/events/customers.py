"""Events the customers service emits.

Drafted by the workspace (issue 6), which consumes it: the customers engineer owns this module
and may rename fields at merge (the workspace handler is the only reader).
"""
from marshmallow import fields, validate

from crm_common.events.fields import Id, OwnedEventData


class ImportantDateUpcoming(OwnedEventData):
    """A customer's or contact's birthday/anniversary is `days_ahead` days away (CUS-*)."""
    customer_id = Id()
    customer_name = fields.String(required=True)
    contact_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(equal=36))
    contact_name = fields.String(load_default=None, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(("birthday", "anniversary", "other")))
    label = fields.String(load_default=None, allow_none=True)
    date = fields.Date(required=True)  # this year's occurrence


EVENTS = {
    ("customers.important_date_upcoming", 1): ImportantDateUpcoming,
}
