"""What logistics and finance events do to an order: per-line shipped, invoiced and received (SAL-06).

Each handler runs in the unit of work of the idempotent event handler (one effect per event) and
locks the order's lines first, so two events on one order apply one after the other.
"""
from decimal import Decimal

from sqlalchemy import select

from crm_sales.orders.models import OrderLine
from crm_sales.orders.rules import allocate_invoice, allocate_receipt, allocate_reversal


def _locked_lines(session, order_id: str) -> dict:
    rows = session.execute(select(OrderLine).where(OrderLine.order_id == order_id)
                           .order_by(OrderLine.line_no).with_for_update()).scalars()
    return {line.id: line for line in rows}


def record_shipment(uow, data: dict, sign: int = 1) -> None:
    """Shipped goods add to each line's shipped quantity; a cancelled shipment (sign -1) takes it back."""
    lines = _locked_lines(uow.session, data["order_id"])
    for shipped in data["lines"]:
        line = lines.get(shipped["order_line_id"])
        if line is None:  # not ours: a line id of another order is ignored, not applied elsewhere
            continue
        line.shipped += sign * Decimal(shipped["quantity"])


def record_invoice(uow, data: dict) -> None:
    """An issued invoice (tax included, like the lines) adds to the lines it names, or fills the
    lines in line order when it bills the order as a whole."""
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    named = {}
    for item in data["lines"]:
        named[item["order_line_id"]] = named.get(item["order_line_id"], Decimal("0")) + Decimal(item["amount"])
    unsplit = Decimal(data["amount"]) - sum(named.values(), Decimal("0"))
    invoiced = allocate_invoice([(line.amount, line.invoiced) for line in lines],
                                [named.get(line.id, Decimal("0")) for line in lines], unsplit)
    for line, value in zip(lines, invoiced, strict=True):
        line.invoiced = value


def record_invoice_reversed(uow, data: dict) -> None:
    """A red-letter invoice takes back from the lines it names; one reversing an invoice of the
    order as a whole takes back from the last lines first (the reverse of how it filled them)."""
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    named = {}
    for item in data["lines"]:
        named[item["order_line_id"]] = named.get(item["order_line_id"], Decimal("0")) + Decimal(item["amount"])
    for line in lines:
        line.invoiced -= min(named.pop(line.id, Decimal("0")), line.invoiced)
    unsplit = Decimal(data["amount"]) - sum((Decimal(item["amount"]) for item in data["lines"]), Decimal("0"))
    shares = allocate_reversal(unsplit, [line.invoiced for line in lines])
    for line, share in zip(lines, shares, strict=True):
        line.invoiced -= share


def record_receipt(uow, data: dict) -> None:
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    shares = allocate_receipt(Decimal(data["amount"]), [(line.amount, line.received) for line in lines])
    for line, share in zip(lines, shares, strict=True):
        line.received += share


def record_receipt_reversed(uow, data: dict) -> None:
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    shares = allocate_reversal(Decimal(data["amount"]), [line.received for line in lines])
    for line, share in zip(lines, shares, strict=True):
        line.received -= share
