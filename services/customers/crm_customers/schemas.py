from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.custom_field_rules import FIELD_TYPES
from crm_customers.lifecycle_rules import LEAD_STAGES
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
    group_path = fields.String(allow_none=True, validate=validate.Regexp(
        r"^[^/]{1,50}(/[^/]{1,50}){0,2}$", error="Up to three levels separated by '/'."))
    custom = fields.Dict(keys=fields.String(), load_default=None)


class CustomerCreateIn(CustomerIn):
    # Control field, not data: create even though duplicates were found (CUS-11).
    confirm_duplicate = fields.Boolean(load_default=False)


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
    custom = fields.Dict()
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
    group_path = fields.String()
    stage = fields.String()
    custom = fields.Dict()
    in_pool = fields.Boolean()
    last_activity_at = fields.DateTime()
    protected_until = fields.DateTime()
    recycle_due_at = fields.DateTime()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class HistoryOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    actor_id = fields.String()
    data = fields.Dict()
    created_at = fields.DateTime()


class CustomerDetailOut(CustomerOut):
    """The customer with the latest of everything hanging off it (CUS-02 detail view)."""
    contacts = fields.List(fields.Nested(ContactOut))
    key_members = fields.List(fields.Nested(ContactOut))
    # the schemas of the sub-resources live with them; strings avoid an import cycle
    interactions = fields.List(fields.Nested("InteractionOut"))
    service_records = fields.List(fields.Nested("ServiceRecordOut"))
    care_records = fields.List(fields.Nested("CareRecordOut"))
    expenses = fields.List(fields.Nested("ExpenseOut"))
    important_dates = fields.List(fields.Nested("ImportantDateOut"))
    relations = fields.List(fields.Nested("RelationOut"))
    history = fields.List(fields.Nested(HistoryOut))
    interaction_count = fields.Integer()


_filter = lambda n: fields.String(validate=validate.Length(min=1, max=n))  # noqa: E731


class CustomerFilters(StrictSchema):
    """Filters shared by the list, the export and the statistics (custom fields: `cf.<key>`)."""
    name = _filter(200)
    code = _filter(40)
    industry = _filter(100)
    source = _filter(100)
    value_level = _filter(40)
    province = _filter(50)
    city = _filter(50)
    district = _filter(50)
    group = _filter(300)
    phone = _filter(40)
    tag = _filter(50)
    owner_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(CUSTOMER_STATUSES))
    stage = fields.String(validate=validate.OneOf(LEAD_STAGES))


class CustomerListQuery(ListQuery, CustomerFilters):
    pass


class HistoryListQuery(ListQuery):
    pass


class FieldDefinitionIn(StrictSchema):
    entity = fields.String(required=True, validate=validate.OneOf(("customer", "contact")))
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$"))
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    options = fields.List(fields.String(validate=validate.Length(min=1, max=100)),
                          validate=validate.Length(max=100), load_default=list)
    required = fields.Boolean(load_default=False)


class FieldDefinitionListQuery(ListQuery):
    pass


class FieldDefinitionOut(Schema):
    id = fields.String()
    entity = fields.String()
    key = fields.String()
    label = fields.String()
    type = fields.String()
    options = fields.List(fields.String())
    required = fields.Boolean()


class PurgeOut(Schema):
    id = fields.String()
    purged = fields.Boolean()


class ContactListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=100))
