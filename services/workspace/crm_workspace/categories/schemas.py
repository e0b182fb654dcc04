from marshmallow import Schema, fields, validate

from crm_common.validation import StrictSchema
from crm_workspace.categories.rules import CATEGORY_KINDS
from crm_workspace.fields import title_field


class CategoryIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(CATEGORY_KINDS))
    name = title_field(100, required=True)
    parent_id = fields.UUID(load_default=None)


class CategoryOut(Schema):
    id = fields.String()
    kind = fields.String()
    name = fields.String()
    parent_id = fields.String()
    path = fields.String()


class CategoryQuery(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(CATEGORY_KINDS))
