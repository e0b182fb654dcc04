from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.groups.rules import MAX_NAME


class GroupIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME))
    parent_id = fields.UUID(allow_none=True, load_default=None)


class GroupRename(StrictSchema):
    """Only the name: moving a group under another parent is not offered."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NAME))


class GroupOut(Schema):
    id = fields.String()
    parent_id = fields.String(allow_none=True)
    name = fields.String()
    path = fields.String()
    depth = fields.Integer()
    active = fields.Boolean()


class GroupListQuery(ListQuery):
    include_retired = fields.Boolean(load_default=False)
