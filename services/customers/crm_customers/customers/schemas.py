from datetime import datetime, timezone

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.utils import get_value

from crm_common import branch_time, clock
from crm_common.dumping import FastDump
from crm_common.pagination import ListQuery
from crm_common.phones import PHONE_KINDS
from crm_common.validation import StrictSchema
from crm_customers.customers import rules
from crm_customers.customers.models import CUSTOMER_KINDS, CUSTOMER_STATUSES
from crm_customers.customers.rules import LEAD_STAGES

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731
MAX_PHONES = 10


class Checked(fields.String):
    """A string a rule checks and writes in its canonical form (the rule's ValueError is the message);
    blank is none. The length is checked here: validators would also see the None a blank gives."""

    def __init__(self, check, max_length: int = 40, **kwargs):
        super().__init__(allow_none=True, **kwargs)
        self.check, self.max_length = check, max_length

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(f"Longer than maximum length {self.max_length}.")
        if not text.strip():
            return None
        try:
            return self.check(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def _resident_id(text: str) -> str:
    return rules.resident_id(text, branch_time.today(datetime.now(timezone.utc), branch_time.zone()))[0]


def checked_phone(text: str) -> str:
    """Kept as typed once it is a number; the duplicate key is its comparable form."""
    rules.phone(text)
    return text.strip()


class PhoneIn(StrictSchema):
    kind = fields.String(load_default="mobile", validate=validate.OneOf(PHONE_KINDS))
    number = fields.String(required=True, validate=validate.Length(min=3, max=40))

    def load(self, data, **kwargs):
        # a PATCH is partial, but each number in the list it sends is whole
        loaded = super().load(data, **{**kwargs, "partial": False})
        try:
            loaded["parsed"] = rules.phone(loaded["number"])
        except ValueError as exc:
            raise ValidationError({"number": [str(exc)]}) from None
        return loaded


class PhoneOut(Schema):
    kind = fields.String()
    number = fields.String()  # the comparable form
    extension = fields.String()
    typed = fields.String()


class CustomerIn(StrictSchema):
    """What a client may write. Owner, department, branch, code and status are the server's."""
    field_resource = "customer"  # field permissions (crm_common.field_policy) check what it sets
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
    phone = Checked(checked_phone)
    phones = fields.List(fields.Nested(PhoneIn), validate=validate.Length(max=MAX_PHONES))
    email = fields.Email(allow_none=True, validate=validate.Length(max=200))
    website = _text(200)
    # a company's licence (营业执照): 统一社会信用代码, 组织机构代码, 注册地址, 法定代表人
    credit_code = Checked(rules.credit_code)
    organization_code = Checked(rules.organization_code)
    registered_address = _text(300)
    legal_representative = _text(100)
    # an individual's 身份证号 and birthday (filled from the ID number when left empty)
    id_number = Checked(_resident_id)
    birthday = fields.Date(allow_none=True)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=50)),
                       validate=validate.Length(max=30))
    notes = _text(5000)
    # a node of the customer group tree (客户群); `group_path` is derived from it, never written
    group_id = fields.UUID(allow_none=True)
    custom = fields.Dict(keys=fields.String(), load_default=None)


class CustomerCreateIn(CustomerIn):
    # Control field, not data: create even though duplicates were found (CUS-11).
    confirm_duplicate = fields.Boolean(load_default=False)


class MaskedIdNumber(fields.String):
    """An ID number as lists show it, 110101********1234: read like any attribute, then masked."""

    def _serialize(self, value, attr, obj, **kwargs):
        return rules.masked_id(super()._serialize(value, attr, obj, **kwargs))


class CustomerOut(FastDump):
    field_resource = "customer"  # field permissions shape what it answers (crm_common.rpc)
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
    province_code = fields.String()
    city_code = fields.String()
    district_code = fields.String()
    address = fields.String()
    phone = fields.String()
    phones = fields.List(fields.Nested(PhoneOut))
    email = fields.String()
    website = fields.String()
    credit_code = fields.String()
    organization_code = fields.String()
    registered_address = fields.String()
    legal_representative = fields.String()
    # masked (110101********1234); whoever holds customers.view_sensitive gets it whole (queries.reveal)
    id_number = MaskedIdNumber()
    birthday = fields.Date()
    status = fields.String()
    tags = fields.List(fields.String())
    notes = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    group_id = fields.String()
    group_path = fields.String()
    stage = fields.String()
    custom = fields.Dict()
    in_pool = fields.Boolean()
    last_activity_at = fields.DateTime()
    protected_until = fields.DateTime()
    recycle_due_at = fields.DateTime()
    recycle_days_left = fields.Method("_days_left", metadata={"type": "integer",
        "description": "branch days before the customer falls back to its pool (0: the next nightly run); "
                       "null: it does not"})
    recycle_reason = fields.String(metadata={"description": (
        "why: no_followup, no_opportunity or no_deal (the rule that ends first), or what holds it: "
        "locked, won, open_opportunity; null: no rule applies")})
    pool_id = fields.String(metadata={"description": "the pool it belongs to, or sits in"})
    locked = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    starred = fields.Boolean()  # by the caller (lists)

    def dump(self, obj, *, many=None):
        # one instant, zone and today for the whole page (the clock, the zone and today's date
        # cost more than the days); a dump runs to its end without yielding to another green thread
        zone = branch_time.zone()
        self._moment = (zone, branch_time.today(clock.now(), zone))
        try:
            return super().dump(obj, many=many)
        finally:
            self._moment = None

    def _days_left(self, obj):
        due = get_value(obj, "recycle_due_at")
        if not isinstance(due, datetime):
            return None
        moment = getattr(self, "_moment", None)
        if moment is None:
            return rules.recycle_days_left(due, clock.now(), branch_time.zone())
        return rules.days_left_from(due, moment[1], moment[0])


class HistoryOut(FastDump):
    id = fields.Integer()
    kind = fields.String()
    actor_id = fields.String()
    data = fields.Dict()
    created_at = fields.DateTime()


_filter = lambda n: fields.String(validate=validate.Length(min=1, max=n))  # noqa: E731


class CustomerFilters(StrictSchema):
    """Filters shared by the list, the export and the statistics (custom fields: `cf.<key>`)."""
    field_resource = "customer"  # none by a field hidden from the caller (crm_common.field_policy)
    name = _filter(200)
    kind = fields.String(validate=validate.OneOf(CUSTOMER_KINDS))
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
