from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_customers.customers.models import CUSTOMER_KINDS, CUSTOMER_STATUSES
from crm_customers.customers.rules import LEAD_STAGES

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
    starred = fields.Boolean()  # by the caller (lists)


class HistoryOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    actor_id = fields.String()
    data = fields.Dict()
    created_at = fields.DateTime()


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
    starred = fields.Boolean()  # true: only those the caller starred; false: the others


class HistoryListQuery(ListQuery):
    pass


class StageIn(StrictSchema):
    stage = fields.String(required=True, validate=validate.OneOf(LEAD_STAGES))


class SubListQuery(ListQuery):
    pass


class ResolvedUser(StrictSchema):
    """A user as the gateway resolved it from its directory (never client input)."""
    id = fields.String(required=True)
    department_path = fields.String(required=True)
    branch = fields.String(required=True)
    active = fields.Boolean(required=True)
