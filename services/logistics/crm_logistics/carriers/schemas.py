"""Carrier payloads: a carrier and its rate card, in and out."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in

_text = lambda n: fields.String(validate=validate.Length(max=n), allow_none=True)  # noqa: E731


class RateIn(StrictSchema):
    route = fields.String(required=True, validate=validate.Length(min=1, max=100))
    unit = fields.String(required=True, validate=validate.OneOf(("kg", "m3", "piece", "shipment")))
    price = money_in(required=True)


class CarrierIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    contact_name = _text(100)
    phone = _text(40)
    address = _text(200)
    rates = fields.List(fields.Nested(RateIn), load_default=list, validate=validate.Length(max=100))
    active = fields.Boolean()


class CarrierPatch(CarrierIn):
    name = fields.String(validate=validate.Length(min=1, max=100))
    rates = fields.List(fields.Nested(RateIn), validate=validate.Length(max=100))


class RateOut(Schema):
    route = fields.String()
    unit = fields.String()
    price = fields.String()


class CarrierOut(Schema):
    id = fields.String()
    name = fields.String()
    contact_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    rates = fields.List(fields.Nested(RateOut))
    active = fields.Boolean()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class CarrierListQuery(ListQuery):
    name = fields.String(validate=validate.Length(max=100))
