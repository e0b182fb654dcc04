from marshmallow import fields, validate

from crm_common.dumping import FastDump
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.contacts.models import DECISION_ROLES

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class ContactIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    title = _text(100)
    department = _text(100)
    mobile = _text(40)
    phone = _text(40)
    email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    birthday = fields.Date(allow_none=True)
    is_key_member = fields.Boolean()
    decision_role = fields.String(allow_none=True, validate=validate.OneOf(DECISION_ROLES))
    reports_to_id = fields.UUID(allow_none=True)
    custom = fields.Dict(keys=fields.String(), load_default=None)


class ContactOut(FastDump):
    id = fields.String()
    customer_id = fields.String()
    name = fields.String()
    title = fields.String()
    department = fields.String()
    mobile = fields.String()
    phone = fields.String()
    email = fields.String()
    birthday = fields.Date()
    is_key_member = fields.Boolean()
    decision_role = fields.String()
    reports_to_id = fields.String()
    custom = fields.Dict()
    created_at = fields.DateTime()


class ContactListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=100))
