"""Receivable rules as plain functions over Decimals and dates: no database, no framework."""
from datetime import date, timedelta
from decimal import Decimal

OPEN, PARTIALLY_PAID, PAID = "open", "partially_paid", "paid"
STATUSES = (OPEN, PARTIALLY_PAID, PAID)


def due_date(opened_on: date, payment_terms_days: int) -> date:
    return opened_on + timedelta(days=payment_terms_days)


def outstanding(amount: Decimal, received: Decimal) -> Decimal:
    return amount - received


def receivable_status(amount: Decimal, received: Decimal) -> str:
    """Nothing owed means paid, even for a zero-amount order; nothing received yet means open."""
    if received >= amount:
        return PAID
    return OPEN if received == 0 else PARTIALLY_PAID
