from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_workspace.announcements.schemas import audience_paths_field
from crm_workspace.fields import title_field

STORAGE_KEY = r"^[0-9a-f]{32}$"


class DocumentIn(StrictSchema):
    """Sent by the gateway after it stored the bytes; name and type were checked there."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    title = title_field(load_default=None)
    category_id = fields.UUID(load_default=None)
    content_type = fields.String(required=True, validate=validate.Length(min=3, max=100))
    size = fields.Integer(required=True, validate=validate.Range(min=1))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    storage_key = fields.String(required=True, validate=validate.Regexp(STORAGE_KEY))


class DocumentOut(Schema):
    id = fields.String()
    name = fields.String()
    title = fields.String()
    category_id = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()


class DocumentQuery(ListQuery):
    category_id = fields.UUID()
    q = fields.String(validate=validate.Length(min=1, max=100))


class ShareIn(StrictSchema):
    user_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=100))
    department_paths = audience_paths_field(100)


class ShareOut(Schema):
    id = fields.String()
    user_id = fields.String()
    department_path = fields.String()
    created_at = fields.DateTime()
