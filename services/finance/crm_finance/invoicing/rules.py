"""Invoice (发票) rules as plain functions over Decimals: no database, no framework.

Rounding: amounts are exact to the cent everywhere; the only derived amount, the tax inside a
tax-inclusive amount, is rounded half-up to the cent per line (per invoice when it is not split)
and the net is the remainder, so net + tax always equals the amount. A red-letter reversal (红冲)
that takes the rest of a line takes the rest of its tax too, so a fully reversed invoice nets to
zero to the cent however it was reversed.
"""
from decimal import Decimal

from crm_common.money import ZERO, cents
from crm_common.statemachine import StateMachine

DEFAULT_TAX_RATE = Decimal("0.13")  # the standard VAT rate on goods
TAX_RATES = tuple(Decimal(rate) for rate in ("0.13", "0.09", "0.06", "0.03", "0.01", "0"))

# 增值税专用发票, 增值税普通发票, 全电发票 (专用 / 普通): the buyer deducts input VAT on the special ones
INVOICE_TYPES = ("vat_special", "vat_normal", "digital_special", "digital_normal")
SPECIAL_TYPES = ("vat_special", "digital_special")
# What a 专票 prints of the buyer (发票抬头); a 普票 prints what it is given (a person has no tax number).
TITLE_FIELDS = ("name", "taxpayer_number", "address", "phone", "bank_name", "bank_account")

LIFECYCLE = StateMachine("invoice", {
    # held for its approval flow when one is configured (SAL-07); issued once approved
    "submit": (("draft",), "pending_approval"),
    "issue": (("draft", "pending_approval"), "issued"),
    "back_to_draft": (("pending_approval",), "draft"),  # rejected, withdrawn, or no longer issuable
    "reverse_fully": (("issued",), "reversed"),  # the last red-letter reversal takes what was left
})


def split_tax(gross: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive amount."""
    tax = cents(gross * rate / (1 + rate))
    return gross - tax, tax


def missing_title_fields(invoice_type: str, title: dict | None) -> list[str]:
    """The buyer title fields this invoice type needs that the profile leaves empty."""
    if invoice_type not in SPECIAL_TYPES:
        return []
    return [field for field in TITLE_FIELDS if not (title or {}).get(field)]


def over_invoiced_lines(not_invoiced_by_line: dict, requested: list) -> dict:
    """Errors keyed like marshmallow's nested-list errors; `requested` is [(order_line_id, amount)]."""
    errors = {}
    for index, (line_id, amount) in enumerate(requested):
        if line_id not in not_invoiced_by_line:
            errors[index] = {"order_line_id": ["Not a line of this order."]}
        elif amount > not_invoiced_by_line[line_id]:
            errors[index] = {"amount": [f"Exceeds the line's not invoiced {not_invoiced_by_line[line_id]}."]}
    return errors


def reversal_shares(amount: Decimal, remaining: list[Decimal]) -> list[Decimal] | None:
    """A reversal of `amount` spread over lines with `remaining` un-reversed each, last line first
    (the reverse of how they were billed); None when it exceeds what remains."""
    if amount > sum(remaining, ZERO):
        return None
    shares = [ZERO] * len(remaining)
    for index in reversed(range(len(remaining))):
        shares[index] = min(amount, remaining[index])
        amount -= shares[index]
    return shares


def reversal_tax(share: Decimal, rate: Decimal, remaining: Decimal, remaining_tax: Decimal) -> Decimal:
    """The tax a reversal of `share` takes back from a line (or an unsplit invoice)."""
    return remaining_tax if share == remaining else split_tax(share, rate)[1]
