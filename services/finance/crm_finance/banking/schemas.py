"""Bank account payloads: an account in, accounts and their entries out."""
from marshmallow import Schema, fields, validate

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema
from crm_finance.fields import Amount, CurrencyIn


class BankAccountIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    bank_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    account_no = fields.String(required=True, validate=validate.Length(min=1, max=60))
    currency = CurrencyIn(required=True)


class BankAccountOut(Schema):
    id = fields.String()
    name = fields.String()
    bank_name = fields.String()
    account_no = fields.String()
    currency = fields.String()
    balance = Amount()
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class BankEntryOut(Schema):
    id = fields.Integer()
    amount = Amount()
    kind = fields.String()
    source_id = fields.String()
    source_number = fields.String()
    booked_on = fields.Date()
    created_at = fields.DateTime()


class BankEntriesOut(Schema):
    """A page of entries with the account's balance beside it, which no single page adds up to."""
    items = fields.List(fields.Nested(BankEntryOut))
    next_cursor = fields.String(allow_none=True)
    balance = Amount()


class EntryListQuery(ListQuery):
    pass
