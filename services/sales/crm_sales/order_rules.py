"""Order rules free of framework code: the status machine and how lines are priced."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "cancel": ({"draft", "submitted", "rejected"}, "cancelled"),
    "complete": ({"approved"}, "completed"),
    "close": ({"approved", "completed"}, "closed"),
}
EDITABLE = {"draft", "rejected"}


class TransitionNotAllowed(Exception):
    pass


def next_status(current: str, action: str) -> str:
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise TransitionNotAllowed(f"Cannot {action} an order that is {current}")
    return target


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Each line is rounded to the cent (half up, as on Chinese invoices); the total sums lines."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def order_total(amounts) -> Decimal:
    return sum(amounts, Decimal("0.00"))


def allocate_receipt(amount: Decimal, lines) -> list[Decimal]:
    """Split a receipt over lines in line order, each up to what it still owes (amount - received).

    Whatever exceeds the order's total stays unallocated: an overpayment is finance's business.
    """
    shares = []
    for line_amount_, received in lines:
        share = max(min(amount, line_amount_ - received), Decimal("0.00"))
        shares.append(share)
        amount -= share
    return shares


def allocate_invoice(lines, named: list[Decimal], unsplit: Decimal) -> list[Decimal]:
    """Each line's invoiced after an invoice: `lines` are (amount, invoiced), `named` what the
    invoice bills on each line, `unsplit` what it bills on the order as a whole.

    The unsplit part fills lines in line order. Finance never bills a line by name beyond its
    amount, so a named amount that overfills a line only meets unsplit money placed there
    earlier; that money moves on to the next lines with room.
    """
    invoiced = [already + extra for (_, already), extra in zip(lines, named, strict=True)]
    floating = unsplit
    for index, (amount, _) in enumerate(lines):
        if invoiced[index] > amount:
            floating += invoiced[index] - amount
            invoiced[index] = amount
    for index, (amount, _) in enumerate(lines):
        share = min(floating, amount - invoiced[index])
        invoiced[index] += share
        floating -= share
    return invoiced


def allocate_reversal(amount: Decimal, received: list[Decimal]) -> list[Decimal]:
    """Take a reversed receipt back from the lines, last line first (the reverse of allocate_receipt)."""
    shares = [Decimal("0.00")] * len(received)
    for index in reversed(range(len(received))):
        shares[index] = min(amount, received[index])
        amount -= shares[index]
    return shares
