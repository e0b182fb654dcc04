from marshmallow import Schema, fields

from crm_common.validation import StrictSchema


class MergeIn(StrictSchema):
    source_id = fields.UUID(required=True)


class PurgeOut(Schema):
    id = fields.String()
    purged = fields.Boolean()
