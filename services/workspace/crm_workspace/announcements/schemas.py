from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.records import utcnow
from crm_common.validation import StrictSchema
from crm_workspace.announcements.rules import AUDIENCE_PATH
from crm_workspace.fields import instant, not_blank


def audience_paths_field(max_entries: int):
    return fields.List(
        fields.String(validate=[validate.Length(max=500), validate.Regexp(
            AUDIENCE_PATH, error="Must be a department path like /<id>/<id>/.")]),
        load_default=list, validate=validate.Length(max=max_entries))


class AnnouncementIn(StrictSchema):
    """What an author may write; the author's owner, department and branch are the server's."""
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), not_blank])
    body = fields.String(required=True, validate=validate.Length(max=20000))
    audience_department_paths = audience_paths_field(200)
    published_at = instant(load_default=None)
    expires_at = instant(load_default=None)

    @validates_schema
    def _expires_after_published(self, data, **kwargs):
        expires, published = data.get("expires_at"), data.get("published_at") or utcnow()
        if expires is not None and expires <= published:
            raise ValidationError("Must be later than published_at.", "expires_at")


class AnnouncementOut(Schema):
    id = fields.String()
    title = fields.String()
    body = fields.String()
    audience_department_paths = fields.List(fields.String())
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    published_at = fields.DateTime()
    expires_at = fields.DateTime()
    withdrawn_at = fields.DateTime()
    created_at = fields.DateTime()
    read = fields.Boolean()  # by the caller; added by the use case, the row does not know its reader


class ReceiptOut(Schema):
    user_id = fields.String()
    read_at = fields.DateTime()


class AnnouncementReadOut(ReceiptOut):
    """The caller's receipt: the first time they read it, however often they mark it again."""
    announcement_id = fields.String()
    read = fields.Boolean(dump_default=True)  # the row exists only once read
