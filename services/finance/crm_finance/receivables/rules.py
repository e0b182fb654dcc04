"""What is owed, by when, and how late: plain functions over Decimals and dates, no framework."""
from datetime import date, timedelta
from decimal import Decimal

from crm_common.money import ZERO, pro_rata, total
from crm_common.statemachine import StateMachine

OPEN, PARTIALLY_PAID, PAID, CANCELLED = "open", "partially_paid", "paid", "cancelled"
STATUSES = (OPEN, PARTIALLY_PAID, PAID, CANCELLED)
# nothing more is owed: neither aged nor dunned (cancelled: the order ended with nothing shipped)
SETTLED = (PAID, CANCELLED)
STATUS_LABELS = {OPEN: "未收款", PARTIALLY_PAID: "部分收款", PAID: "已收清", CANCELLED: "已取消"}  # the export's words
RECEIPT_METHODS = ("bank_transfer", "cash", "cheque", "other")
CURRENT, BUCKETS = "current", ("0-30", "31-60", "61-90", "90+")
# upper bound (days overdue, inclusive) of each bucket but the last
BUCKET_LIMITS = ((30, "0-30"), (60, "31-60"), (90, "61-90"))
# a receipt is never edited: a reversal, a document of its own, undoes it once
RECORDED, REVERSED = "recorded", "reversed"
RECEIPT = StateMachine("receipt", {"reverse": ({RECORDED}, REVERSED)})


def due_date(opened_on: date, payment_terms_days: int) -> date:
    return opened_on + timedelta(days=payment_terms_days)


def outstanding(amount: Decimal, received: Decimal) -> Decimal:
    return amount - received


def receivable_status(amount: Decimal, received: Decimal) -> str:
    """Nothing owed means paid, even for a zero-amount order; nothing received yet means open."""
    if received >= amount:
        return PAID
    return OPEN if received == 0 else PARTIALLY_PAID


def receipt_status(reversed_already: bool) -> str:
    return REVERSED if reversed_already else RECORDED


def days_overdue(due: date, as_of: date) -> int:
    return (as_of - due).days


def ageing_bucket(days: int) -> str:
    """Not yet due is `current`; one day late up to thirty is `0-30`, and so on."""
    if days <= 0:
        return CURRENT
    for limit, name in BUCKET_LIMITS:
        if days <= limit:
            return name
    return BUCKETS[-1]


def plan_errors(amount: Decimal, instalments: list) -> dict:
    """Instalments are [(due_date, amount)]; they must add up to the receivable and be in order."""
    errors = {}
    for index, (due, _) in enumerate(instalments[1:], start=1):
        if due <= instalments[index - 1][0]:
            errors[index] = {"due_date": ["Must be after the previous instalment's due date."]}
    if errors:
        return {"instalments": errors}
    planned = total(value for _, value in instalments)
    if planned != amount:
        return {"instalments": [f"Instalments add up to {planned}, the receivable is {amount}."]}
    return {}


def allocate(received: Decimal, instalments: list) -> list:
    """What was received pays the instalments oldest first: [(amount, paid)] per instalment."""
    left, result = received, []
    for value in instalments:
        paid = min(value, max(left, Decimal(0)))
        result.append((value, paid))
        left -= paid
    return result


def next_due(received: Decimal, instalments: list) -> date:
    """The first unpaid instalment's due date; the last one's once all are paid.

    `instalments` are [(due_date, amount)] in order."""
    allocation = allocate(received, [value for _, value in instalments])
    unpaid = [due for (due, _), (value, paid) in zip(instalments, allocation, strict=True) if paid < value]
    return unpaid[0] if unpaid else instalments[-1][0]


def instalment_status(amount: Decimal, paid: Decimal, due: date, as_of: date) -> str:
    return "paid" if paid >= amount else ("overdue" if due < as_of else "open")


def closing(amount: Decimal, received: Decimal, invoiced: Decimal, lines: list) -> dict:
    """What an order's end before everything shipped makes of its receivable.

    `lines` are (line amount, line invoiced, ordered, shipped). The receivable becomes the shipped
    value (each line's amount pro rata to what shipped); with nothing shipped it is cancelled.
    Money already received beyond it is a refund due, invoices beyond it a red-letter invoice due.
    A line stays billable up to its shipped value, or what was invoiced on it if more.
    """
    values = [pro_rata(line_amount, shipped, ordered) for line_amount, _, ordered, shipped in lines]
    shipped_value = total(values)
    status = CANCELLED if shipped_value == 0 else receivable_status(shipped_value, received)
    return {"original_amount": amount, "amount": shipped_value, "status": status,
            "refund_due": max(received - shipped_value, ZERO), "red_invoice_due": max(invoiced - shipped_value, ZERO),
            "line_amounts": [max(value, line_invoiced) for value, (_, line_invoiced, _, _) in zip(values, lines,
                                                                                                 strict=True)]}


def trim_plan(instalments: list, amount: Decimal) -> list:
    """A payment plan cut to a smaller amount: instalments [(due_date, amount)] kept in order until
    they add up to it, the last one shortened."""
    kept, left = [], amount
    for due, value in instalments:
        if left <= 0:
            break
        kept.append((due, min(value, left)))
        left -= kept[-1][1]
    return kept
