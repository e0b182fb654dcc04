"""Boundary schemas of targets (SAL-10)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_sales.target_rules import PERIOD, period_bounds


def _on_the_calendar(value: str) -> None:
    # "0000" and "9999-12" match the pattern, but their bounds are dates no calendar holds.
    if PERIOD.match(value):
        try:
            period_bounds(value)
        except ValueError:
            raise ValidationError("No calendar holds this period.") from None


class TargetIn(StrictSchema):
    subject = fields.String(required=True, validate=validate.OneOf(["user", "department"]))
    user_id = fields.UUID()
    department_path = fields.String(required=True, validate=validate.Regexp(r"^/(?:[^/\s]+/)*$"))
    period = fields.String(required=True, validate=[validate.Regexp(PERIOD), _on_the_calendar])
    amount = money_in(required=True, positive=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))

    @validates_schema
    def _subject(self, data, **kwargs):
        if (data.get("subject") == "user") != ("user_id" in data):
            raise ValidationError("user_id is given for, and only for, a rep's target.", "user_id")


class TargetOut(Schema):
    id = fields.String()
    subject = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    period = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    achieved = fields.Decimal(as_string=True, places=2)
    progress_percent = fields.Decimal(as_string=True)
    created_at = fields.DateTime()


class TargetListQuery(ListQuery):
    period = fields.String(validate=validate.Regexp(PERIOD))
