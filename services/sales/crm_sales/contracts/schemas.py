"""Boundary schemas of contracts (SAL-08)."""
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, max_places, money_in


class ShareIn(StrictSchema):
    user_id = fields.UUID(required=True)
    percent = fields.Decimal(required=True, allow_nan=False,
                             validate=[validate.Range(0, 100, min_inclusive=False), max_places(2)])


def _dates_in_order(data):
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        raise ValidationError("The contract cannot end before it starts.", "end_date")


class ContractIn(StrictSchema):
    field_resource = "contract"
    customer_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["service", "product"]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    amount = money_in(required=True)
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))
    commission_split = fields.List(fields.Nested(ShareIn), required=True, validate=validate.Length(min=1, max=20))

    @validates_schema
    def _consistent(self, data, **kwargs):
        _dates_in_order(data)
        shares = data.get("commission_split") or []
        if sum((s["percent"] for s in shares), Decimal("0")) != Decimal("100"):
            raise ValidationError("Commission shares must add up to 100.", "commission_split")
        if len({s["user_id"] for s in shares}) != len(shares):
            raise ValidationError("Each rep may appear once.", "commission_split")


class ChangeIn(StrictSchema):
    field_resource = "contract"
    description = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    amount = money_in()
    end_date = fields.Date()

    @validates_schema
    def _changes_something(self, data, **kwargs):
        if "amount" not in data and "end_date" not in data:
            raise ValidationError("A change order changes the amount or the end date.", "_schema")


class ReasonIn(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class RenewalIn(StrictSchema):
    field_resource = "contract"
    end_date = fields.Date(required=True)
    amount = money_in()


class RemindersIn(StrictSchema):
    now = fields.AwareDateTime(load_default=None)
    days_ahead = fields.Integer(load_default=30, validate=validate.Range(1, 365))


class RemindersOut(Schema):
    reminded = fields.Integer()


class ChangeOut(Schema):
    field_dicts = {"before": "contract", "after": "contract"}  # an amount change shows both amounts
    id = fields.String()
    kind = fields.String()
    status = fields.String()
    decided_at = fields.DateTime()
    description = fields.String()
    before = fields.Dict()
    after = fields.Dict()
    actor_id = fields.String()
    created_at = fields.DateTime()


class ContractOut(Schema):
    field_resource = "contract"
    id = fields.String()
    number = fields.String()
    kind = fields.String()
    title = fields.String()
    customer_id = fields.String()
    customer_name = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    commission_split = fields.List(fields.Dict())
    status = fields.String()
    renewal_of = fields.String()
    end_reason = fields.String()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    changes = fields.List(fields.Nested(ChangeOut))


class ContractListQuery(ListQuery):
    status = fields.String(validate=validate.OneOf(
        ["draft", "submitted", "active", "rejected", "terminated", "closed"]))
    customer_id = fields.UUID()
    expiring_before = fields.Date()
