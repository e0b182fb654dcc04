"""Returned-goods payloads: what arrived in, the goods return out."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, quantity_in
from crm_logistics.returns import rules
from crm_logistics.shipping.schemas import Qty


class ReceiveLineIn(StrictSchema):
    order_line_id = fields.UUID(required=True)
    quantity = quantity_in(required=True)


class ReceiveIn(StrictSchema):
    lines = fields.List(fields.Nested(ReceiveLineIn), required=True, validate=validate.Length(min=1, max=200))


class GoodsReturnLineOut(Schema):
    order_line_id = fields.String()
    product_id = fields.String()
    expected = Qty()
    received = Qty()


class GoodsReturnOut(Schema):
    id = fields.String()
    return_id = fields.String()
    order_id = fields.String()
    customer_id = fields.String()
    status = fields.String()
    lines = fields.List(fields.Nested(GoodsReturnLineOut))
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class GoodsReturnListQuery(ListQuery):
    order_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(rules.STATUSES))
