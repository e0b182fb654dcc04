from marshmallow import fields, validate

from crm_common.dumping import FastDump
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.contacts.models import DECISION_ROLES
from crm_customers.customers.schemas import MAX_PHONES, Checked, PhoneIn, PhoneOut, checked_phone

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class ContactIn(StrictSchema):
    field_resource = "contact"
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    title = _text(100)
    department = _text(100)
    mobile = Checked(checked_phone)
    phone = Checked(checked_phone)
    phones = fields.List(fields.Nested(PhoneIn), validate=validate.Length(max=MAX_PHONES))
    email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    birthday = fields.Date(allow_none=True)
    is_key_member = fields.Boolean()
    decision_role = fields.String(allow_none=True, validate=validate.OneOf(DECISION_ROLES))
    reports_to_id = fields.UUID(allow_none=True)
    custom = fields.Dict(keys=fields.String(), load_default=None)


class ContactOut(FastDump):
    field_resource = "contact"
    id = fields.String()
    customer_id = fields.String()
    name = fields.String()
    title = fields.String()
    department = fields.String()
    mobile = fields.String()
    phone = fields.String()
    phones = fields.List(fields.Nested(PhoneOut))
    email = fields.String()
    birthday = fields.Date()
    is_key_member = fields.Boolean()
    decision_role = fields.String()
    reports_to_id = fields.String()
    custom = fields.Dict()
    created_at = fields.DateTime()


class ContactListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=100))


class ContactRowOut(ContactOut):
    """A contact with its customer's name: the global list (通讯录) and a contact's own page."""
    customer_name = fields.String()


class AllContactsQuery(ListQuery):
    field_resource = "contact"  # no filter by a field hidden from the caller
    name = fields.String(validate=validate.Length(min=1, max=100))
    customer_id = fields.UUID()
    phone = fields.String(validate=[validate.Length(min=3, max=40), validate.Regexp(r"^[0-9+\- ()]+$")])
    is_key_member = fields.Boolean()
    decision_role = fields.String(validate=validate.OneOf(DECISION_ROLES))
