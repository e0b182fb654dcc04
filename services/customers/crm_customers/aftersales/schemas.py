"""What clients send and get for after-sales records and complaints (CUS-08)."""
from dataclasses import dataclass

from marshmallow import fields, validate

from crm_common.dumping import FastDump
from crm_common.money import DEFAULT_CURRENCY
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_customers.aftersales.rules import COMPLAINT

_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


class ServiceRecordIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    occurred_at = fields.AwareDateTime(required=True)
    summary = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class CareRecordIn(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("gift", "greeting", "visit", "other")))
    occurred_on = fields.Date(required=True)
    contact_id = fields.UUID(allow_none=True)
    notes = _text(5000)


class ExpenseIn(StrictSchema):
    category = fields.String(required=True,
                             validate=validate.OneOf(("travel", "gift", "entertainment", "other")))
    amount = money_in(positive=True, required=True)
    currency = fields.String(load_default=DEFAULT_CURRENCY, validate=validate.Regexp(r"^[A-Z]{3}$"))
    spent_on = fields.Date(required=True)
    notes = _text(5000)


class ImportantDateIn(StrictSchema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    date = fields.Date(required=True)
    contact_id = fields.UUID(allow_none=True)
    remind_days_before = fields.Integer(load_default=3, validate=validate.Range(0, 60))


class ComplaintIn(StrictSchema):
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    detail = _text(10000)


class ComplaintActionIn(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(COMPLAINT.actions))
    handler_id = fields.UUID()  # for "assign"; the gateway resolves it and passes the user along
    result = _text(10000)
    satisfaction = fields.Integer(validate=validate.Range(1, 5), allow_none=True)


class _RecordOut(FastDump):
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
    status = fields.String()  # pending → approved (paid to author_id) / rejected
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_comment = fields.String(allow_none=True)
    spent_on = fields.Date()
    notes = fields.String()


class ExpenseDetailOut(ExpenseOut):
    """GET /expenses/{id}: the customer is named, for an approver who may not see it."""
    customer_name = fields.String()


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


class ComplaintRowOut(ComplaintOut):
    customer_name = fields.String()


class ComplaintsQuery(ListQuery):
    """Complaints across the customers in scope: `assigned_to=me` is the handler's queue."""
    assigned_to = fields.String(validate=validate.OneOf(["me"]))
    status = fields.String(validate=validate.OneOf(sorted(COMPLAINT.statuses)))
    customer_id = fields.UUID()


@dataclass(frozen=True)
class RecordKind:
    body: type
    out: type


# One generic create/list pair serves four kinds of record; the gateway has one route per kind.
RECORD_KINDS = {
    "service_records": RecordKind(ServiceRecordIn, ServiceRecordOut),
    "care_records": RecordKind(CareRecordIn, CareRecordOut),
    "expenses": RecordKind(ExpenseIn, ExpenseOut),
    "important_dates": RecordKind(ImportantDateIn, ImportantDateOut),
}
