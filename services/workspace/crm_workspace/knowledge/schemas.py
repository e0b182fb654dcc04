from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_workspace.fields import title_field


class ArticleIn(StrictSchema):
    category_id = fields.UUID(required=True)
    title = title_field(required=True)
    body = fields.String(required=True, validate=validate.Length(min=1, max=100000))


class ArticleOut(Schema):
    id = fields.String()
    category_id = fields.String()
    title = fields.String()
    body = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ArticleQuery(ListQuery):
    q = fields.String(validate=validate.Length(min=1, max=100))
    category_id = fields.UUID()
