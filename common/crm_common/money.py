"""Money as `Decimal` exact to the cent: the one place for the cent, rounding and the currency.

Chinese invoices round half up, so every derived amount (a line, a tax, a share) is rounded that
way exactly once, where it is derived; sums of rounded amounts are never rounded again.
"""
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_CURRENCY = "CNY"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_cent_exact(value: Decimal) -> bool:
    """True when the amount has no more places than a cent (inputs are refused, not rounded)."""
    return value == value.quantize(CENT)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return cents(quantity * unit_price)


def total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, ZERO)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return cents(amount * percent / 100)


def pro_rata(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """The share of `amount` that `part` of `whole` is worth (the whole is the amount exactly)."""
    if part >= whole:
        return amount
    return cents(amount * part / whole) if whole else ZERO
