from marshmallow import fields, validate

from crm_common.dumping import FastDump
from crm_common.validation import StrictSchema
from crm_customers.relations.models import RELATION_KINDS


class RelationIn(StrictSchema):
    to_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(RELATION_KINDS))
    notes = fields.String(validate=validate.Length(max=500), allow_none=True)


class RelationUpdate(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(RELATION_KINDS))
    notes = fields.String(validate=validate.Length(max=500), allow_none=True)


class RelationOut(FastDump):
    id = fields.String()
    from_id = fields.String()
    to_id = fields.String()
    kind = fields.String()
    notes = fields.String()
