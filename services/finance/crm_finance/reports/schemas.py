"""Questions and answers of the finance reports (FIN-04 ageing, FIN-08 customer statement)."""
from marshmallow import Schema, fields, validate

from crm_common.rollups import PeriodQuery
from crm_common.validation import StrictSchema
from crm_finance.fields import Amount
from crm_finance.invoicing.schemas import InvoiceOut
from crm_finance.receivables import rules as receivables
from crm_finance.receivables.schemas import ReceiptOut, ReceivableOut


class AgeingQuery(StrictSchema):
    as_of = fields.Date()
    customer_id = fields.UUID()


class StatementQuery(StrictSchema):
    as_of = fields.Date()


class AgeingBucketOut(Schema):
    field_totals = {"outstanding": "receivable.amount"}
    count = fields.Integer()
    outstanding = Amount()


# bucket names such as "0-30" are not Python identifiers
AgeingCurrencyOut = Schema.from_dict(
    {**{name: fields.Nested(AgeingBucketOut) for name in (receivables.CURRENT, *receivables.BUCKETS)},
     "overdue_total": Amount()},  # every bucket but current
    name="AgeingCurrencyOut")
AgeingCurrencyOut.field_totals = {"overdue_total": "receivable.amount"}


class AgeingOut(Schema):
    as_of = fields.Date()
    currencies = fields.Dict(keys=fields.String(), values=fields.Nested(AgeingCurrencyOut))


class StatementTotalsOut(Schema):
    """One currency's totals, over all the customer's receivables in scope (not only the rows listed)."""
    field_totals = {"amount": "receivable.amount", "received": "receivable.amount", "outstanding": "receivable.amount", "invoiced": "receivable.amount",
                    "not_invoiced": "receivable.amount", "arrears": "receivable.amount", "reversed": "invoice.amount"}
    receivables = fields.Integer()
    amount = Amount()
    received = Amount()
    outstanding = Amount()
    invoiced = Amount()
    not_invoiced = Amount()
    arrears = Amount()  # outstanding on receivables already due
    reversed = Amount()


class StatementInvoiceOut(InvoiceOut):
    class Meta:
        exclude = ("lines",)  # a statement lists invoices, not their split per order line


class StatementOut(Schema):
    customer_id = fields.String()
    as_of = fields.Date()
    totals = fields.Dict(keys=fields.String(), values=fields.Nested(StatementTotalsOut))
    receivables = fields.List(fields.Nested(ReceivableOut))
    receipts = fields.List(fields.Nested(ReceiptOut))
    invoices = fields.List(fields.Nested(StatementInvoiceOut))


# --- the report pack (issue 17): from the rollups -------------------------------------------------

class ReceiptsQuery(PeriodQuery):
    currency = fields.String(load_default="CNY", validate=validate.Regexp(r"^[A-Z]{3}$"))


class ReceiptRankingQuery(ReceiptsQuery):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class ReceiptFigures(Schema):
    field_totals = {"received": "receipt.amount", "invoiced": "invoice.amount", "not_received": "invoice.amount"}
    period = fields.Date(metadata={"description": "first day of the period, in `zone`"})
    receipts = fields.Integer()
    received = Amount()
    invoices = fields.Integer()
    invoiced = Amount()
    not_received = Amount(metadata={"description": "invoiced minus received in the period"})


class ReceiptsOut(Schema):
    period = fields.String()
    zone = fields.String()
    currency = fields.String()
    items = fields.List(fields.Nested(ReceiptFigures))
    totals = fields.Nested(ReceiptFigures(exclude=("period",)))


class RankedReceiver(Schema):
    field_totals = {"amount": "receipt.amount"}
    rank = fields.Integer()
    owner_id = fields.String()
    count = fields.Integer()
    amount = Amount()


class ReceiptRankingOut(Schema):
    currency = fields.String()
    items = fields.List(fields.Nested(RankedReceiver))
