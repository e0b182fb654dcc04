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
