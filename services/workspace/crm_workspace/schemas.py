from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.validation import StrictSchema
from crm_workspace.audience import AUDIENCE_PATH


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


class AnnouncementIn(StrictSchema):
    """What an author may write; the author's owner, department and branch are the server's."""
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), _not_blank])
    body = fields.String(required=True, validate=validate.Length(max=20000))
    audience_department_paths = fields.List(
        fields.String(validate=[validate.Length(max=500), validate.Regexp(
            AUDIENCE_PATH, error="Must be a department path like /<id>/<id>/.")]),
        load_default=list, validate=validate.Length(max=200))
    published_at = fields.AwareDateTime(load_default=None)
    expires_at = fields.AwareDateTime(load_default=None)

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
    created_at = fields.DateTime()


class ReceiptOut(Schema):
    user_id = fields.String()
    read_at = fields.DateTime()


class NotificationOut(Schema):
    """Addressing and scope columns stay inside: they say who else is told, not what happened."""
    id = fields.String()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    link = fields.String()
    created_at = fields.DateTime()


class NotificationListQuery(ListQuery):
    # absent: all; true: only unread; false: only read
    unread = fields.Boolean()
    kind = fields.String(validate=validate.Length(min=1, max=50))
