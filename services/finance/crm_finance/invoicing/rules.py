"""Invoice rules as plain functions over Decimals: no database, no framework.

Rounding: amounts are exact to the cent everywhere; the only derived amount, the tax inside a
tax-inclusive invoice amount, is rounded half-up to the cent and the net is the remainder, so
net + tax always equals the invoiced amount.
"""
from decimal import Decimal

from crm_common.money import cents

DEFAULT_TAX_RATE = Decimal("0.13")  # the standard VAT rate on goods


def split_tax(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive amount."""
    tax = cents(gross * rate / (1 + rate))
    return gross - tax, tax


def over_invoiced_lines(not_invoiced_by_line: dict, requested: list) -> dict:
    """Errors keyed like marshmallow's nested-list errors; `requested` is [(order_line_id, amount)]."""
    errors = {}
    for index, (line_id, amount) in enumerate(requested):
        if line_id not in not_invoiced_by_line:
            errors[index] = {"order_line_id": ["Not a line of this order."]}
        elif amount > not_invoiced_by_line[line_id]:
            errors[index] = {"amount": [f"Exceeds the line's not invoiced {not_invoiced_by_line[line_id]}."]}
    return errors
