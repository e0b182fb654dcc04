"""What receivables tell other services: the data of their events."""
from crm_finance.db import SCOPE
from crm_finance.receivables.models import Receipt, Receivable


def receivable_opened(receivable: Receivable) -> dict:
    return {"receivable_id": receivable.id, "order_id": receivable.order_id,
            "order_number": receivable.order_number, "customer_id": receivable.customer_id,
            "amount": receivable.amount, "currency": receivable.currency,
            "due_date": receivable.due_date, **{key: getattr(receivable, key) for key in SCOPE}}


def receipt_recorded(receipt: Receipt) -> dict:
    """finance.receipt_recorded; finance.receipt_reversed adds the reversal's id."""
    return {"receipt_id": receipt.id, "receivable_id": receipt.receivable_id, "order_id": receipt.order_id,
            "amount": receipt.amount, "currency": receipt.currency, "received_on": receipt.received_on,
            **{key: getattr(receipt, key) for key in SCOPE}}


def receivable_reduced(receivable: Receivable) -> dict:
    return {"receivable_id": receivable.id, "order_id": receivable.order_id, "customer_id": receivable.customer_id,
            "original_amount": receivable.original_amount, "amount": receivable.amount,
            "received": receivable.received, "refund_due": receivable.refund_due,
            "red_invoice_due": receivable.red_invoice_due, "currency": receivable.currency,
            "status": receivable.status, "reason": receivable.closed_reason,
            **{key: getattr(receivable, key) for key in SCOPE}}
