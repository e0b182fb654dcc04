"""Invoice payloads: invoices, buyer titles and red-letter reversals in; invoices, titles and what
of an order is invoiced out."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in
from crm_finance.fields import Amount
from crm_finance.invoicing.rules import INVOICE_TYPES, TAX_RATES

MAX_LINES = 200
_text = lambda n, **kw: fields.String(validate=validate.Length(max=n), allow_none=True, **kw)  # noqa: E731


def _tax_rate(**kwargs):
    return fields.Decimal(allow_nan=False, validate=validate.OneOf(
        TAX_RATES, error="One of 0.13, 0.09, 0.06, 0.03, 0.01, 0."), **kwargs)


class InvoiceLineIn(StrictSchema):
    order_line_id = fields.UUID(required=True)
    amount = money_in(positive=True, required=True)
    tax_rate = _tax_rate()  # the invoice's rate when absent


class InvoiceIn(StrictSchema):
    """Either an amount for the order as a whole or lines (the amount is then their sum)."""
    field_resource = "invoice"
    order_id = fields.UUID(required=True)
    amount = money_in(positive=True)
    tax_rate = _tax_rate(load_default=None)
    invoice_type = fields.String(load_default="vat_normal", validate=validate.OneOf(INVOICE_TYPES))
    buyer_title_id = fields.UUID(load_default=None)
    title = _text(200)
    lines = fields.List(fields.Nested(InvoiceLineIn), validate=validate.Length(min=1, max=MAX_LINES))
    # Control field: keep it as a draft (issued later) instead of issuing it at once.
    draft = fields.Boolean(load_default=False)

    @validates_schema
    def amount_or_lines(self, data, **kwargs):
        if "amount" not in data and "lines" not in data:
            raise ValidationError("Give an amount or lines.", "amount")
        ids = [line["order_line_id"] for line in data.get("lines", ())]
        if len(ids) != len(set(ids)):
            raise ValidationError("Each order line at most once.", "lines")


class InvoiceReversalLineIn(StrictSchema):
    order_line_id = fields.UUID(required=True)
    amount = money_in(positive=True, required=True)


class InvoiceReversalIn(StrictSchema):
    field_resource = "invoice"
    """A red-letter reversal (红冲): of everything not reversed yet when neither `amount` nor
    `lines` is given; `lines` only for an invoice split per line."""
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    amount = money_in(positive=True)
    lines = fields.List(fields.Nested(InvoiceReversalLineIn), validate=validate.Length(min=1, max=MAX_LINES))

    @validates_schema
    def amount_or_lines(self, data, **kwargs):
        if "amount" in data and "lines" in data:
            raise ValidationError("Give an amount or lines, not both.", "amount")
        if not (data.get("reason") or "").strip():
            raise ValidationError("Say why the invoice is reversed.", "reason")


class FapiaoIn(StrictSchema):
    """What the tax system gave the issued invoice: its fapiao number (8 digits, 20 for 全电) and date."""
    fapiao_number = fields.String(required=True, validate=validate.Regexp(
        r"^(\d{8}|\d{20})$", error="8 digits, or 20 for a digital (全电) fapiao."))
    fapiao_date = fields.Date(required=True)


class BuyerTitleIn(StrictSchema):
    customer_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    # 纳税人识别号: the buyer's credit code (18) or an older 15/17/20-character tax number
    taxpayer_number = fields.String(allow_none=True, validate=validate.Regexp(
        r"^([0-9A-Z]{15}|[0-9A-Z]{17,18}|[0-9A-Z]{20})$", error="15 to 20 digits or capital letters."))
    address = _text(300)
    phone = _text(40)
    bank_name = _text(200)
    bank_account = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9\- ]{6,40}$",
                                                                           error="6 to 40 digits."))


class BuyerTitleUpdateIn(BuyerTitleIn):
    class Meta:
        exclude = ("customer_id",)


class BuyerTitleOut(Schema):
    id = fields.String()
    customer_id = fields.String()
    name = fields.String()
    taxpayer_number = fields.String()
    address = fields.String()
    phone = fields.String()
    bank_name = fields.String()
    bank_account = fields.String()
    complete = fields.Boolean()  # enough for a 专票
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class BuyerTitleListQuery(ListQuery):
    customer_id = fields.UUID()


class BuyerOut(Schema):
    """The title as it was when the invoice was issued."""
    name = fields.String()
    taxpayer_number = fields.String()
    address = fields.String()
    phone = fields.String()
    bank_name = fields.String()
    bank_account = fields.String()


class InvoiceLineOut(Schema):
    field_resource = "invoice"
    order_line_id = fields.String()
    amount = Amount()
    tax_rate = fields.Decimal(as_string=True, places=4)
    tax_amount = Amount()
    reversed = Amount()


class InvoiceOut(Schema):
    field_resource = "invoice"
    id = fields.String()
    number = fields.String()
    kind = fields.String()  # blue, or red for a reversal
    status = fields.String(metadata={"description": "draft, pending_approval, issued, reversed; a red-letter "
                                                     "one also rejected or withdrawn"})
    invoice_type = fields.String()
    receivable_id = fields.String()
    order_id = fields.String()
    customer_id = fields.String()
    currency = fields.String()
    amount = Amount()
    tax_rate = fields.Decimal(as_string=True, places=4)
    tax_amount = Amount()
    net_amount = Amount()
    reversed_amount = Amount()
    not_reversed = Amount()
    title = fields.String(allow_none=True)
    buyer_title_id = fields.String()
    buyer = fields.Nested(BuyerOut, allow_none=True)
    original_invoice_id = fields.String()
    reason = fields.String()
    approval_id = fields.String(metadata={"description": "The approval that decided it, when a flow held it."})
    approval_note = fields.String(metadata={"description": "Why a held invoice came back to draft."})
    fapiao_number = fields.String()
    fapiao_date = fields.Date()
    issued_on = fields.Date()
    lines = fields.List(fields.Nested(InvoiceLineOut))
    owner_id = fields.String()
    department_path = fields.String()
    branch = fields.String()
    created_at = fields.DateTime()


class OrderLineOut(Schema):
    field_resource = "receivable"  # what of the order's receivable is invoiced
    order_line_id = fields.String(attribute="id")
    product_name = fields.String()
    amount = Amount()
    invoiced = Amount()
    not_invoiced = Amount()


class InvoicingOut(Schema):
    """What of an order is invoiced: as a whole, and per line."""
    field_resource = "receivable"
    id = fields.String()  # the receivable's
    order_id = fields.String()
    order_number = fields.String()
    currency = fields.String()
    amount = Amount()
    invoiced = Amount()
    not_invoiced = Amount()
    lines = fields.List(fields.Nested(OrderLineOut))


class InvoiceListQuery(ListQuery):
    order_id = fields.UUID()
    customer_id = fields.UUID()
    original_invoice_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(("draft", "issued", "reversed")))
    kind = fields.String(validate=validate.OneOf(("blue", "red")))
