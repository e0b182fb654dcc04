"""What dunning tells other services: the workspace turns it into a reminder for the owner."""
from crm_finance.db import SCOPE
from crm_finance.receivables import rules as receivables
from crm_finance.receivables.models import Receivable


def receivable_overdue(receivable: Receivable, days: int) -> dict:
    return {"receivable_id": receivable.id, "order_id": receivable.order_id, "order_number": receivable.order_number,
            "customer_id": receivable.customer_id, "amount": receivable.amount,
            "outstanding": receivable.outstanding, "currency": receivable.currency,
            "due_date": receivable.due_date, "days_overdue": days, "bucket": receivables.ageing_bucket(days),
            **{key: getattr(receivable, key) for key in SCOPE}}
