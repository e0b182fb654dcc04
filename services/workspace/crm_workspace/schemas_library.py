"""Boundaries of documents and SMS."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_workspace.audience import AUDIENCE_PATH
from crm_workspace.schemas_desk import title_field

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
    department_paths = fields.List(
        fields.String(validate=[validate.Length(max=500), validate.Regexp(
            AUDIENCE_PATH, error="Must be a department path like /<id>/<id>/.")]),
        load_default=list, validate=validate.Length(max=100))


class ShareOut(Schema):
    id = fields.String()
    user_id = fields.String()
    department_path = fields.String()
    created_at = fields.DateTime()


class SmsIn(StrictSchema):
    phone = fields.String(required=True, validate=validate.Length(min=3, max=30))
    body = fields.String(required=True, validate=validate.Length(min=1, max=500))


class SmsOut(Schema):
    id = fields.String()
    phone = fields.String()
    body = fields.String()
    status = fields.String()
    provider = fields.String()
    provider_message_id = fields.String()
    error = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()


class SmsQuery(ListQuery):
    phone = fields.String(validate=validate.Length(max=30))
    status = fields.String(validate=validate.Length(max=20))


class OptOutIn(StrictSchema):
    phone = fields.String(required=True, validate=validate.Length(min=3, max=30))
    reason = fields.String(load_default=None, validate=validate.Length(max=200))


class OptOutOut(Schema):
    id = fields.Function(lambda row: row.phone, metadata={"type": "string"})  # DELETE /sms/opt-outs/<id>
    phone = fields.String()
    reason = fields.String()
    created_at = fields.DateTime()
