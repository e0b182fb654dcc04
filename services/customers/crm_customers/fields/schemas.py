from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.fields.rules import FIELD_TYPES


class FieldDefinitionIn(StrictSchema):
    entity = fields.String(required=True, validate=validate.OneOf(("customer", "contact")))
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$"))
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    options = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                          validate=validate.Length(max=100), load_default=list)
    required = fields.Boolean(load_default=False)


class FieldDefinitionUpdate(StrictSchema):
    """Entity, key and type are what the field is: another of them is another field."""
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    options = fields.List(fields.String(validate=validate.Length(min=1, max=100)), validate=validate.Length(max=100))
    required = fields.Boolean()


class FieldDefinitionListQuery(ListQuery):
    entity = fields.String(validate=validate.OneOf(("customer", "contact")))
    include_retired = fields.Boolean(load_default=False)


class FieldDefinitionOut(Schema):
    id = fields.String()
    entity = fields.String()
    key = fields.String()
    label = fields.String()
    type = fields.String()
    options = fields.List(fields.String())
    required = fields.Boolean()
    retired_at = fields.DateTime()
