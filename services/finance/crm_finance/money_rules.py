"""Money rules as plain functions over Decimals and dates: no database, no framework.

Rounding: amounts are exact to the cent everywhere; the only derived amount, the tax inside a
tax-inclusive invoice amount, is rounded half-up to the cent and the net is the remainder, so
net + tax always equals the invoiced amount.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CURRENT, BUCKETS = "current", ("0-30", "31-60", "61-90", "90+")
# upper bound (days overdue, inclusive) of each bucket but the last
BUCKET_LIMITS = ((30, "0-30"), (60, "31-60"), (90, "61-90"))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_tax(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive amount."""
    tax = cents(gross * rate / (1 + rate))
    return gross - tax, tax


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
    total = sum((value for _, value in instalments), Decimal(0))
    if total != amount:
        return {"instalments": [f"Instalments add up to {total}, the receivable is {amount}."]}
    return {}


def allocate(received: Decimal, instalments: list) -> list:
    """What was received pays the instalments oldest first: [(amount, paid)] per instalment."""
    left, result = received, []
    for value in instalments:
        paid = min(value, max(left, Decimal(0)))
        result.append((value, paid))
        left -= paid
    return result
