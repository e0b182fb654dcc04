"""Shapes of the answers the gateway builds itself, and of the few inputs it reads before a service does.

The answers document GET /api/v1/openapi.json (openapi.py); the inputs also validate the requests.
"""
from marshmallow import Schema, fields, validate

from crm_common.team_rules import ACCESS
from crm_common.validation import StrictSchema


class TokensOut(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String()  # absent when it was set as the crm_refresh cookie
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class LoginUnlockedOut(Schema):
    id = fields.String()
    code = fields.String()
    failures_cleared = fields.Integer()


class PasswordChangedOut(Schema):
    id = fields.String()
    code = fields.String()
    changed_at = fields.String()
    sessions_ended = fields.Integer(metadata={"description": "Refresh tokens (sessions) ended, this one included."})
    sign_in_again = fields.Boolean(metadata={"description": "Always true: the access token used is revoked too."})


class NamedRef(Schema):
    id = fields.String()
    name = fields.String()


class MeDepartment(NamedRef):
    path = fields.String()


class MeOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    active = fields.Boolean()
    department = fields.Nested(MeDepartment)
    branch = fields.String()
    data_scope = fields.String(metadata={"description": "The widest default scope of the caller's roles."})
    data_scopes = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Every permission of `permissions` with the data scope the caller has for it "
                       "(own, department, subtree, branch, all): per permission, the widest scope any role "
                       "grants with it. A permission missing here is not held."})
    permissions = fields.List(fields.String(), metadata={
        "description": "Effective function permissions: the union of the caller's roles' permissions."})
    roles = fields.List(fields.Nested(NamedRef))
    field_rules = fields.Dict(keys=fields.String(), values=fields.Dict(), data_key="fields", metadata={
        "description": "The caller's field permissions, merged over their roles (per field the most "
                       "permissive): only the fields they restrict, {\"customer.phone\": {\"access\": "
                       "\"read_only\", \"mask\": \"list\"}}; every other field is editable and shown whole. "
                       "The API already answers accordingly (hidden fields absent, masked values masked)."})


class DeadLetterOut(Schema):
    id = fields.Integer()
    service = fields.String()
    queue = fields.String()
    event_name = fields.String()
    event_id = fields.String()
    error = fields.String()
    attempts = fields.Integer()
    created_at = fields.String()
    replayed_at = fields.String()
    body = fields.Raw()


class DeadLettersOut(Schema):
    items = fields.List(fields.Nested(DeadLetterOut), required=True)
    next_cursor = fields.String()
    unavailable_services = fields.List(fields.String())  # answered without them rather than failing


class ReplayedOut(Schema):
    id = fields.Integer()
    replayed = fields.Boolean()


class BranchOut(Schema):
    code = fields.String()
    reachable = fields.Boolean(metadata={"description": "The branch's broker answered a ping just now."})
    services = fields.Dict(keys=fields.String(), values=fields.Boolean(), metadata={
        "description": "Each service of the branch and whether it answered an RPC ping just now (2 s)."})
    company_name = fields.String(metadata={"description": "The company name set for the branch, if any."})
    printed_name = fields.String(metadata={"description": "What its documents print: the name set, or else the "
                                                          "name of its department tree's root."})


class DictionaryKindOut(Schema):
    kind = fields.String()


class RegionOut(Schema):
    code = fields.String()
    name = fields.String()
    parent = fields.String()
    level = fields.String()


class RegionPathStep(Schema):
    code = fields.String()
    name = fields.String()


class RegionDetailOut(RegionOut):
    path = fields.List(fields.Nested(RegionPathStep))


class PhoneRegionOut(Schema):
    number = fields.String()
    kind = fields.String(validate=validate.OneOf(["mobile", "landline"]))
    province = fields.String()
    city = fields.String()
    area_code = fields.String()
    carrier = fields.String()


class FeedTokenOut(Schema):
    token = fields.String()
    url = fields.String()


class TransferOptions(StrictSchema):
    """A transfer's two options (团队成员, issue 17): the previous owner stays a team member with
    this access (null: leaves), and the previous owner's opportunities and contracts of the
    customer move to the new owner too."""
    keep_previous_owner = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ACCESS))
    carry_related = fields.Boolean(load_default=False)


class AssignIn(TransferOptions):
    owner_id = fields.UUID(required=True)


class PoolPeopleIn(StrictSchema):
    """Who may claim from a pool (members) and assign from it (admins); both lists replace the
    pool's people, both empty opens the pool to the branch."""
    members = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=1000))
    admins = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=200))


class MemberPutIn(StrictSchema):
    """A team member's access and optional expiry: the last branch day the membership counts."""
    access = fields.String(required=True, validate=validate.OneOf(ACCESS))
    expires_on = fields.Date(load_default=None, allow_none=True)


class AssigneeIn(StrictSchema):
    assignee_id = fields.UUID(required=True)
class HandOverIn(StrictSchema):
    """Who takes over everything the departing user owns (customers, open work, calendar)."""
    to_user_id = fields.UUID(required=True)


class TransferAllIn(TransferOptions):
    from_user_id = fields.UUID(required=True)
    to_user_id = fields.UUID(required=True)
