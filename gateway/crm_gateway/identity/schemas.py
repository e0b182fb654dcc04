from marshmallow import Schema, ValidationError, fields, validate, validates

from crm_common import field_policy
from crm_common.pagination import ListQuery
from crm_common.principal import SCOPES
from crm_common.validation import StrictSchema
from crm_gateway.identity.permissions import PERMISSIONS

CODE = validate.Regexp(r"^[A-Za-z0-9_.-]{1,40}$", error="1-40 letters, digits, _ . -")
POSITION = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))  # 职位, e.g. 销售经理


class LoginIn(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    # true: the refresh token travels in an HttpOnly cookie instead of the body (the web console)
    cookie = fields.Boolean(load_default=False)


class RefreshIn(StrictSchema):
    # absent: taken from the crm_refresh cookie
    refresh_token = fields.String(validate=validate.Length(min=1, max=200))


class PasswordChangeIn(StrictSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=validate.Length(min=10, max=200))


class DepartmentIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    parent_id = fields.UUID(allow_none=True, load_default=None)
    branch = fields.String(validate=validate.Regexp(r"^[A-Z0-9]{2,20}$"))


class DepartmentUpdate(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class DepartmentMoveIn(StrictSchema):
    """Move the department (and everything under it) under another department of its branch."""
    parent_id = fields.UUID(required=True)


class DepartmentOut(Schema):
    id = fields.String()
    name = fields.String()
    parent_id = fields.String()
    path = fields.String()
    branch = fields.String()


class FieldRuleIn(StrictSchema):
    """One field's permission for a role (字段权限); a field a role does not name is editable."""
    access = fields.String(load_default=field_policy.EDITABLE, validate=validate.OneOf(field_policy.ACCESS),
                           metadata={"description": "hidden, read_only or editable"})
    mask = fields.String(load_default=field_policy.UNMASKED, validate=validate.OneOf(field_policy.MASKS),
                         metadata={"description": "none, list (lists and exports) or all; phones, e-mail, "
                                                  "ID numbers and amounts only"})


class FieldRuleOut(Schema):
    access = fields.String()
    mask = fields.String()


FIELD_KEYS = sorted(item["key"] for item in field_policy.catalogue())


class RoleIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    permissions = fields.List(fields.String(validate=validate.OneOf(sorted(PERMISSIONS))), required=True)
    data_scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    scope_overrides = fields.Dict(keys=fields.String(validate=validate.OneOf(sorted(PERMISSIONS))),
                                  values=fields.String(validate=validate.OneOf(SCOPES)), load_default=dict)
    # the role's field permissions, keyed "resource.field" from GET /field-permissions; a PATCH
    # replaces them whole
    field_rules = fields.Dict(keys=fields.String(validate=validate.OneOf(FIELD_KEYS)),
                              values=fields.Nested(FieldRuleIn), load_default=dict, data_key="fields")

    @validates("field_rules")
    def _maskable(self, value, **kwargs):
        errors = field_policy.validate_rules(value)
        if errors:
            raise ValidationError([f"{key}: {messages[0]}" for key, messages in sorted(errors.items())])


class RoleOut(Schema):
    id = fields.String()
    name = fields.String()
    permissions = fields.List(fields.String())
    data_scope = fields.String()
    scope_overrides = fields.Dict()
    field_rules = fields.Dict(keys=fields.String(), values=fields.Nested(FieldRuleOut), data_key="fields")


class GovernedFieldOut(Schema):
    """A field whose permission a role can set (crm_common.field_policy.GOVERNED)."""
    key = fields.String(metadata={"description": "resource.field, the key of a role's `fields`"})
    resource = fields.String()
    resource_label = fields.String()
    field = fields.String()
    label = fields.String()
    kind = fields.String(metadata={"description": "phone, email, id_number, amount (maskable) or text"})
    maskable = fields.Boolean()


class UserIn(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    department_id = fields.UUID(required=True)
    password = fields.String(required=True, validate=validate.Length(min=10, max=200))
    role_ids = fields.List(fields.UUID(), load_default=list)
    active = fields.Boolean(load_default=True)
    position = POSITION
    manager_id = fields.UUID(allow_none=True, load_default=None,
                             metadata={"description": "直属上级: the user's direct superior (approval flows)."})


class UserUpdate(StrictSchema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    department_id = fields.UUID()
    password = fields.String(validate=validate.Length(min=10, max=200))
    role_ids = fields.List(fields.UUID())
    active = fields.Boolean()
    position = POSITION
    manager_id = fields.UUID(allow_none=True, metadata={"description": "直属上级; null: none."})


class UserOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    department_id = fields.String()
    position = fields.String()
    active = fields.Boolean()
    manager_id = fields.String(allow_none=True)
    roles = fields.List(fields.Nested(RoleOut(only=("id", "name"))))


class UserListQuery(ListQuery):
    department_id = fields.UUID()
    active = fields.Boolean()


# --- the directory every signed-in user reads (ADM-16) -----------------------------------

class DirectoryUserQuery(ListQuery):
    # a prefix of the code, the name's pinyin or its initials, or any part of the name
    q = fields.String(validate=[validate.Length(min=1, max=50), validate.Regexp(r"\S", error="Not blank.")])
    department_id = fields.UUID()
    active = fields.Boolean()


class DirectoryDepartmentRef(Schema):
    id = fields.String()
    name = fields.String()


class DirectoryUserOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    department = fields.Nested(DirectoryDepartmentRef)
    position = fields.String()
    active = fields.Boolean()


class CompanyNameIn(StrictSchema):
    company_name = fields.String(required=True, allow_none=True, validate=[
        validate.Length(min=1, max=200), validate.Regexp(r"^\S(.*\S)?$", error="No spaces at either end.")],
        metadata={"description": "公司名称 printed on the branch's documents; null: the root department's name again"})


class BranchNameOut(Schema):
    code = fields.String()
    company_name = fields.String(metadata={"description": "The name set for the branch, if any."})
    printed_name = fields.String(metadata={"description": "What its documents print: the name set, or else the "
                                                          "name of its department tree's root."})


class DirectoryBranchOut(Schema):
    code = fields.String()
    company_name = fields.String(metadata={"description": "What the branch's documents print as the company."})


class DirectoryDepartmentOut(Schema):
    id = fields.String()
    name = fields.String()
    parent_id = fields.String()
    path = fields.String()
