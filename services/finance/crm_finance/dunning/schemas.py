"""Dunning payloads: an operator's run in, what it reminded out."""
from marshmallow import Schema, fields

from crm_common.validation import StrictSchema


class DunningIn(StrictSchema):
    as_of = fields.Date()


class DunningRunOut(Schema):
    as_of = fields.Date()
    reminded = fields.Integer()  # receivables reminded by this run; already reminded that day count 0
