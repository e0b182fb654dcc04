from marshmallow import Schema, fields, validate

from crm_common.validation import StrictSchema


class MergeIn(StrictSchema):
    source_id = fields.UUID(required=True)


class PurgeOut(Schema):
    id = fields.String()
    purged = fields.Boolean()


class DepartmentMoveIn(StrictSchema):
    """From the gateway, which owns the tree: the subtree `from_path` is now `to_path`."""
    department_id = fields.UUID(required=True)
    parent_id = fields.UUID(required=True)
    from_path = fields.String(required=True, validate=validate.Regexp(r"^/[0-9a-f/-]+/$"))
    to_path = fields.String(required=True, validate=validate.Regexp(r"^/[0-9a-f/-]+/$"))
    branch = fields.String(required=True, validate=validate.Length(min=1, max=20))


class DepartmentMoveOut(Schema):
    department_id = fields.String()
    from_path = fields.String()
    to_path = fields.String()
    customers = fields.Integer()  # rows of this service rewritten (customers and their records)
