"""Boundary schemas of the catalog (SAL-01, SAL-02)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in, quantity_in


class ProductIn(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(allow_none=True, validate=validate.Length(max=100))
    spec = fields.String(allow_none=True, validate=validate.Length(max=200))
    unit = fields.String(load_default="pcs", validate=validate.Length(min=1, max=20))
    list_price = money_in(required=True)
    wholesale_price = money_in(allow_none=True)
    retail_price = money_in(allow_none=True)
    cost_price = money_in(allow_none=True)
    floor_price = money_in(allow_none=True)
    active = fields.Boolean(load_default=True)


class ProductOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    category = fields.String()
    spec = fields.String()
    unit = fields.String()
    list_price = fields.Decimal(as_string=True)
    wholesale_price = fields.Decimal(as_string=True)
    retail_price = fields.Decimal(as_string=True)
    cost_price = fields.Decimal(as_string=True)
    floor_price = fields.Decimal(as_string=True)
    active = fields.Boolean()


class ProductListQuery(ListQuery):
    name = fields.String(validate=validate.Length(min=1, max=200))
    category = fields.String(validate=validate.Length(min=1, max=100))
    active = fields.Boolean()


PRICE_RULE_KINDS = ["volume", "customer", "partner", "position"]


class PriceRuleIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(PRICE_RULE_KINDS))
    priority = fields.Integer(load_default=100, validate=validate.Range(0, 10000))
    discount_percent = fields.Decimal(required=True, allow_nan=False,
                                      validate=[validate.Range(0, 100), max_places(2)])
    product_id = fields.UUID(allow_none=True)
    category = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    customer_id = fields.UUID(allow_none=True)
    min_quantity = quantity_in(allow_none=True)
    permission = fields.String(allow_none=True, validate=validate.Regexp(r"^[a-z_]+\.[a-z_]+$"))
    active = fields.Boolean(load_default=True)

    @validates_schema
    def _kind_needs(self, data, partial=False, **kwargs):
        needs = {"volume": "min_quantity", "customer": "customer_id", "position": "permission"}.get(data.get("kind"))
        if needs and not partial and data.get(needs) is None:
            raise ValidationError(f"A {data['kind']} rule needs {needs}.", needs)


class PriceRuleOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    priority = fields.Integer()
    discount_percent = fields.Decimal(as_string=True)
    product_id = fields.String()
    category = fields.String()
    customer_id = fields.String()
    min_quantity = fields.Decimal(as_string=True)
    permission = fields.String()
    active = fields.Boolean()


class PriceRuleListQuery(ListQuery):
    kind = fields.String(validate=validate.OneOf(PRICE_RULE_KINDS))
