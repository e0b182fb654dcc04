"""Answers of the records that hang off one customer: relations, after-sales records, complaints."""
from marshmallow import Schema, fields


class RelationOut(Schema):
    id = fields.String()
    from_id = fields.String()
    to_id = fields.String()
    kind = fields.String()
    notes = fields.String()


class _RecordOut(Schema):
    id = fields.String()
    customer_id = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ServiceRecordOut(_RecordOut):
    author_id = fields.String()
    kind = fields.String()
    occurred_at = fields.DateTime()
    summary = fields.String()


class CareRecordOut(_RecordOut):
    author_id = fields.String()
    contact_id = fields.String()
    kind = fields.String()
    occurred_on = fields.Date()
    notes = fields.String()


class ExpenseOut(_RecordOut):
    author_id = fields.String()
    category = fields.String()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()
    spent_on = fields.Date()
    notes = fields.String()


class ImportantDateOut(_RecordOut):
    contact_id = fields.String()
    label = fields.String()
    date = fields.Date()
    remind_days_before = fields.Integer()


class ComplaintOut(_RecordOut):
    number = fields.String()
    author_id = fields.String()
    subject = fields.String()
    detail = fields.String()
    status = fields.String()
    handler_id = fields.String()
    result = fields.String()
    satisfaction = fields.Integer()
