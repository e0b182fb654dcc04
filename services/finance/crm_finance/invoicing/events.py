"""What invoicing tells other services: the data of its events."""
from crm_finance.db import SCOPE
from crm_finance.invoicing.models import Invoice
from crm_finance.receivables.models import Receivable


def invoice_issued(invoice: Invoice, receivable: Receivable, lines: list) -> dict:
    """finance.invoice_issued; `lines` are [(order line, amount invoiced on it)]."""
    return {"invoice_id": invoice.id, "number": invoice.number, "order_id": invoice.order_id,
            "customer_id": invoice.customer_id, "amount": invoice.amount, "tax_amount": invoice.tax_amount,
            "currency": invoice.currency,
            "lines": [{"order_line_id": line.id, "amount": value} for line, value in lines],
            **{key: getattr(receivable, key) for key in SCOPE}}


def invoice_reversed(red: Invoice, original: Invoice, receivable: Receivable, lines: list) -> dict:
    """finance.invoice_reversed: amounts positive, what the red invoice takes back; `lines` are
    [(order line, amount taken back from it)], empty when the original billed the order as a whole."""
    return {"invoice_id": red.id, "number": red.number, "original_invoice_id": original.id,
            "order_id": red.order_id, "customer_id": red.customer_id, "amount": -red.amount,
            "tax_amount": -red.tax_amount, "currency": red.currency, "reason": red.reason,
            "lines": [{"order_line_id": line.id, "amount": value} for line, value in lines],
            **{key: getattr(receivable, key) for key in SCOPE}}
