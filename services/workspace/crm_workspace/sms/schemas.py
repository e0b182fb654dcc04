from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema


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
