"""Boundary schemas of returns (SAL-09)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, quantity_in


class ReturnLineIn(StrictSchema):
    order_line_id = fields.UUID(required=True)
    quantity = quantity_in(required=True)


class ReturnIn(StrictSchema):
    order_id = fields.UUID(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    lines = fields.List(fields.Nested(ReturnLineIn), required=True, validate=validate.Length(min=1, max=200))

    @validates_schema
    def _one_entry_per_line(self, data, **kwargs):
        ids = [line["order_line_id"] for line in data.get("lines", [])]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each order line may appear once.", "lines")


class ReturnLineOut(Schema):
    id = fields.String()
    line_no = fields.Integer()
    order_line_id = fields.String()
    product_id = fields.String()
    quantity = fields.Decimal(as_string=True)
    unit_price = fields.Decimal(as_string=True)
    amount = fields.Decimal(as_string=True)


class ReturnOut(Schema):
    id = fields.String()
    number = fields.String()
    order_id = fields.String()
    customer_id = fields.String()
    currency = fields.String()
    status = fields.String()
    reason = fields.String()
    total = fields.Decimal(as_string=True)
    decision_comment = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(ReturnLineOut))


class ReturnListQuery(ListQuery):
    order_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(["submitted", "approved", "rejected"]))
