"""Shipping payloads: shipments in, fulfilments and shipments out, the freight report."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in, quantity_in
from crm_logistics.shipping import rules

MAX_SHIPMENT_LINES = 200


class ShipmentLineIn(StrictSchema):
    """A line by its fulfilment line or by the order line it fulfils (the id invoices take too)."""
    fulfilment_line_id = fields.UUID()
    order_line_id = fields.UUID()
    quantity = quantity_in(required=True)

    @validates_schema
    def _one_line_id(self, data, **kwargs):
        if ("fulfilment_line_id" in data) == ("order_line_id" in data):
            raise ValidationError("Name the fulfilment line or the order line, one of them.", "fulfilment_line_id")


class ShipmentIn(StrictSchema):
    """Number, status, dates and scope are the server's; the lines say what leaves the warehouse."""
    fulfilment_id = fields.UUID()
    order_id = fields.UUID()  # instead of the fulfilment: an approved order has exactly one
    # a planned shipment stays pending (its quantities are reserved) until it is shipped
    status = fields.String(load_default=rules.SHIPPED, validate=validate.OneOf((rules.PENDING, rules.SHIPPED)))
    carrier_id = fields.UUID(allow_none=True)
    carrier = fields.String(validate=validate.Length(max=100), allow_none=True)
    tracking_no = fields.String(validate=validate.Length(max=100), allow_none=True)
    freight_fee = money_in(allow_none=True)
    freight_currency = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    lines = fields.List(fields.Nested(ShipmentLineIn), required=True,
                        validate=validate.Length(min=1, max=MAX_SHIPMENT_LINES))

    @validates_schema
    def each_line_once(self, data, **kwargs):
        if ("fulfilment_id" in data) == ("order_id" in data):
            raise ValidationError("Name the fulfilment or the order, one of them.", "fulfilment_id")
        seen, errors = set(), {}
        for index, line in enumerate(data.get("lines", ())):
            key = next(k for k in ("fulfilment_line_id", "order_line_id") if k in line)
            if (key, line[key]) in seen:
                errors[index] = {key: ["Listed more than once."]}
            seen.add((key, line[key]))
        if errors:
            raise ValidationError({"lines": errors})


# fixed scale on output, so an echo of the client's "4" reads "4.000" like a stored value
Qty = lambda: fields.Decimal(as_string=True, places=3)  # noqa: E731


class FulfilmentLineOut(Schema):
    id = fields.String()
    order_line_id = fields.String()
    product_id = fields.String()
    product_name = fields.String()
    ordered = Qty()
    shipped = Qty()
    released = Qty()
    remaining = Qty()


class FulfilmentOut(Schema):
    id = fields.String()
    order_id = fields.String()
    order_number = fields.String()
    customer_id = fields.String()
    currency = fields.String()
    status = fields.String()
    closed_at = fields.DateTime(allow_none=True)
    closed_reason = fields.String(allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FulfilmentDetailOut(FulfilmentOut):
    lines = fields.List(fields.Nested(FulfilmentLineOut))


class ShipmentLineOut(Schema):
    id = fields.String()
    fulfilment_line_id = fields.String()
    order_line_id = fields.String(attribute="fulfilment_line.order_line_id")
    product_id = fields.String(attribute="fulfilment_line.product_id")
    product_name = fields.String(attribute="fulfilment_line.product_name")
    quantity = Qty()


class ShipmentOut(Schema):
    id = fields.String()
    number = fields.String()
    fulfilment_id = fields.String()
    order_id = fields.String()
    status = fields.String()
    carrier_id = fields.String(allow_none=True)
    carrier = fields.String()
    tracking_no = fields.String()
    freight_fee = fields.Decimal(as_string=True, places=2)
    freight_currency = fields.String()
    shipped_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class ShipmentDetailOut(ShipmentOut):
    lines = fields.List(fields.Nested(ShipmentLineOut))


class FulfilmentListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(rules.FULFILMENT_STATUSES))


class ShipmentListQuery(ListQuery):
    fulfilment_id = fields.UUID()
    order_id = fields.UUID()
    carrier_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(rules.SHIPMENT_STATUSES))


class FreightQuery(StrictSchema):
    """Months as YYYY-MM, both inclusive."""
    start = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))
    end = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$"))
    carrier_id = fields.UUID()


class FreightRowOut(Schema):
    carrier_id = fields.String(allow_none=True)  # none for a carrier typed in by hand
    carrier = fields.String(allow_none=True)
    month = fields.String()
    currency = fields.String(allow_none=True)  # none for shipments without a fee
    shipments = fields.Integer()
    freight = fields.Decimal(as_string=True, places=2)


class FreightReportOut(Schema):
    items = fields.List(fields.Nested(FreightRowOut))
