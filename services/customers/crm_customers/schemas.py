from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.models import CUSTOMER_KINDS, CUSTOMER_STATUSES, DECISION_ROLES

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class CustomerIn(StrictSchema):
    """What a client may write. Owner, department, branch, code and status are the server's."""
    kind = fields.String(load_default="company", validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    short_name = _text(100)
    industry = _text(100)
    source = _text(100)
    value_level = _text(40)
    province = _text(50)
    city = _text(50)
    district = _text(50)
    address = _text(300)
    phone = _text(40)
    email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    website = _text(200)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=50)),
                       validate=validate.Length(max=30))
    notes = _text(5000)


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


class ContactOut(Schema):
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
    created_at = fields.DateTime()


class CustomerOut(Schema):
    id = fields.String()
    code = fields.String()
    kind = fields.String()
    name = fields.String()
    short_name = fields.String()
    industry = fields.String()
    source = fields.String()
    value_level = fields.String()
    province = fields.String()
    city = fields.String()
    district = fields.String()
    address = fields.String()
    phone = fields.String()
    email = fields.String()
    website = fields.String()
    status = fields.String()
    tags = fields.List(fields.String())
    notes = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CustomerDetailOut(CustomerOut):
    contacts = fields.List(fields.Nested(ContactOut))


class CustomerListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=200))
    code = fields.String(validate=validate.Length(min=1, max=40))
    industry = fields.String(validate=validate.Length(min=1, max=100))
    owner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(CUSTOMER_STATUSES))


class ContactListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=100))
