"""Order rules free of framework code: the life cycle, and how money from logistics and finance
events is spread over the lines. Line amounts and totals are crm_common.money's."""
from decimal import Decimal
from itertools import pairwise

from crm_common.money import ZERO
from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("order", {
    "submit": ({"draft", "rejected"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "withdraw": ({"submitted"}, "draft"),  # 撤回 by the submitter while it waits
    "cancel": ({"draft", "submitted", "rejected"}, "cancelled"),
    "complete": ({"approved"}, "completed"),
    "close": ({"approved", "completed"}, "closed"),
})
EDITABLE = {"draft", "rejected"}
# what a departing owner hands over: every order not yet ended
IN_PROGRESS = ("draft", "submitted", "rejected", "approved")
# An order counts as sold (targets, campaigns) and a sample as sent once it is approved.
SOLD = ("approved", "completed", "closed")


def allocate_receipt(amount: Decimal, lines) -> list[Decimal]:
    """Split a receipt over lines in line order, each up to what it still owes (amount - received).

    Whatever exceeds the order's total stays unallocated: an overpayment is finance's business.
    """
    shares = []
    for line_amount_, received in lines:
        share = max(min(amount, line_amount_ - received), ZERO)
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
    """Take a reversed receipt (or red-letter invoice) back from the lines, last line first (the
    reverse of allocate_receipt and of how an unsplit invoice fills them)."""
    shares = [ZERO] * len(received)
    for index in reversed(range(len(received))):
        shares[index] = min(amount, received[index])
        amount -= shares[index]
    return shares


def plan_errors(order_total: Decimal, instalments: list) -> list[str]:
    """A payment plan ([(due_date, amount)]) runs forward in time and adds up to the order's total;
    finance holds a receivable's plan to the same rule."""
    if any(due <= previous for (previous, _), (due, _) in pairwise(instalments)):
        return ["Each instalment must fall after the previous one."]
    planned = sum((amount for _, amount in instalments), ZERO)
    if instalments and planned != order_total:
        return [f"Instalments add up to {planned}; the order's total is {order_total}."]
    return []
