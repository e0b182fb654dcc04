"""Red-letter reversals (红冲): a negative invoice linked to the original with a reason, for all of
it or a part, never more than what remains un-reversed.

The original invoice's row lock serialises every reversal of it: concurrent reversals queue up,
each sees what the one before took, so exactly one of two full reversals wins (the other finds it
reversed, 409) and partial ones never add up past the invoice (422). What was invoiced follows at
once in finance (the receivable, the order lines it keeps) and, through finance.invoice_reversed,
in sales (the order lines' invoiced). Under a configured flow for reversals (SAL-07) the
reversal takes its share of the original at once but waits `pending_approval` for the rest; a
rejection or a withdrawal gives the share back.
"""
import logging

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.money import ZERO, total
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance.approvals import rules as approvals_rules, use_cases as approvals
from crm_finance.db import SCOPE, today
from crm_finance.invoicing import events, rules
from crm_finance.invoicing.models import Invoice, InvoiceLine
from crm_finance.invoicing.schemas import InvoiceOut, InvoiceReversalIn
from crm_finance.invoicing.use_cases.issuing import READ, WRITE, locked_order_lines, receivable_of

log = logging.getLogger(__name__)


def _line_shares(invoice: Invoice, data: dict) -> list:
    """[(invoice line, share)] of a reversal of an invoice split per line."""
    remaining = [line.amount - line.reversed for line in invoice.lines]
    if "lines" in data:
        by_id = {line.order_line_id: index for index, line in enumerate(invoice.lines)}
        shares, errors = [ZERO] * len(remaining), {}
        for position, item in enumerate(data["lines"]):
            index = by_id.get(str(item["order_line_id"]))
            if index is None:
                errors[position] = {"order_line_id": ["Not a line of this invoice."]}
            elif item["amount"] + shares[index] > remaining[index]:
                errors[position] = {"amount": [f"Exceeds the line's un-reversed {remaining[index]}."]}
            else:
                shares[index] += item["amount"]
        if errors:
            raise InvalidInput("Cannot reverse these lines", {"lines": errors})
    else:
        shares = rules.reversal_shares(data.get("amount", invoice.not_reversed), remaining)
        if shares is None:
            raise InvalidInput("Exceeds what remains un-reversed",
                               {"amount": [f"Only {invoice.not_reversed} of the invoice is not reversed yet."]})
    return [(line, share) for line, share in zip(invoice.lines, shares, strict=True) if share]


def reverse(uow, principal: Principal, invoice_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(InvoiceReversalIn(), payload)
    with uow:
        session = uow.session
        original = get_in_scope(session, Invoice, invoice_id, principal, for_update=True,
                                permission=WRITE, read_permission=READ)
        if original.kind == "red":
            raise Conflict("A red-letter invoice is not reversed again", {"kind": ["red"]})
        rules.LIFECYCLE.next_status(original.status, "reverse_fully")  # only an issued one: 409 otherwise
        receivable = receivable_of(session, principal, original.order_id)  # before the lines, as issuers do
        red = Invoice(id=new_id(), kind="red", status=approvals_rules.PENDING, invoice_type=original.invoice_type,
                      receivable_id=original.receivable_id, order_id=original.order_id,
                      customer_id=original.customer_id, currency=original.currency, tax_rate=original.tax_rate,
                      buyer_title_id=original.buyer_title_id, buyer=original.buyer, title=original.title,
                      original_invoice_id=original.id, reason=data["reason"].strip(), issued_on=today(),
                      reversed_amount=0, reversed_tax=0, **{key: getattr(original, key) for key in SCOPE})
        if original.lines:
            shares = _line_shares(original, data)
            for position, (line, share) in enumerate(shares):
                tax = rules.reversal_tax(share, line.tax_rate, line.amount - line.reversed,
                                         line.tax_amount - line.reversed_tax)
                line.reversed += share
                line.reversed_tax += tax
                red.lines.append(InvoiceLine(id=new_id(), position=position, order_line_id=line.order_line_id,
                                             amount=-share, tax_rate=line.tax_rate, tax_amount=-tax,
                                             reversed=0, reversed_tax=0))
            amount, tax = total(share for _, share in shares), total(-line.tax_amount for line in red.lines)
        else:
            if "lines" in data:
                raise InvalidInput("This invoice is not split per line",
                                   {"lines": ["Give an amount: the invoice bills the order as a whole."]})
            amount = data.get("amount", original.not_reversed)
            if amount > original.not_reversed:
                raise InvalidInput("Exceeds what remains un-reversed",
                                   {"amount": [f"Only {original.not_reversed} of the invoice is not reversed yet."]})
            tax = rules.reversal_tax(amount, original.tax_rate, original.not_reversed,
                                     original.tax_amount - original.reversed_tax)
        red.amount, red.tax_amount, red.net_amount = -amount, -tax, -(amount - tax)
        # the share is taken at once, held or not: two reversals never add up past the invoice
        original.reversed_amount += amount
        original.reversed_tax += tax
        session.add(red)
        if approvals.held(session, approvals_rules.REVERSAL):
            red.status = approvals_rules.PENDING
            session.flush()
            approvals.request(uow, principal, approvals_rules.REVERSAL, red, number=f"RED-DRAFT-{red.id[:8]}",
                              amount=amount, customer_id=red.customer_id, order_id=red.order_id,
                              summary=f"{original.number}: {red.reason}")
        else:
            _apply(uow, red, original, receivable)
        return InvoiceOut().dump(red)


def _apply(uow, red: Invoice, original: Invoice, receivable) -> None:
    """What a reversal changes beyond the original: the receivable, the order lines, its number."""
    session = uow.session
    applied = []
    if red.lines:
        order_lines = locked_order_lines(session, original.order_id)
        for line in red.lines:
            order_lines[line.order_line_id].invoiced += line.amount  # negative
            applied.append((order_lines[line.order_line_id], -line.amount))
    others_held = session.execute(select(Invoice.id).where(
        Invoice.original_invoice_id == original.id, Invoice.status == approvals_rules.PENDING,
        Invoice.id != red.id)).first() is not None
    if original.not_reversed == ZERO and not others_held:  # a held one may still give its share back
        rules.LIFECYCLE.apply(original, "reverse_fully")
    receivable.invoiced += red.amount
    red.status, red.issued_on = "issued", today()
    red.number = uow.document_number("invoice", receivable.branch)  # last: the counter lock is shortest
    session.flush()
    uow.emit("finance.invoice_reversed", events.invoice_reversed(red, original, receivable, applied))


def apply_decision(uow, data: dict, outcome: str) -> None:
    """sales.approval_decided / _withdrawn for a held reversal: approved, it is applied; rejected or
    withdrawn, its share goes back to the original. Once: a reversal no longer held is left alone."""
    session = uow.session
    red = session.get(Invoice, data["document_id"])
    if red is None or red.status != approvals_rules.PENDING:
        log.warning("approval %s of reversal %s: nothing to apply", data["approval_id"], data["document_id"])
        return
    # the original first, as a reversal takes it, then the red one afresh
    original = session.get(Invoice, red.original_invoice_id, with_for_update=True, populate_existing=True)
    session.refresh(red, with_for_update=True)
    if red.status != approvals_rules.PENDING:
        return
    red.approval_id = data["approval_id"]
    if outcome == "approved":
        approvals_rules.REVERSAL_APPROVAL.next_status(red.status, "approve")
        _apply(uow, red, original, receivable_of(session, approvals.deciding_principal(red.branch), red.order_id))
        return
    by_line = {line.order_line_id: line for line in original.lines}
    for line in red.lines:
        by_line[line.order_line_id].reversed += line.amount  # negative: the share goes back
        by_line[line.order_line_id].reversed_tax += line.tax_amount
    original.reversed_amount += red.amount
    original.reversed_tax += red.tax_amount
    red.approval_note = (data.get("comment") or outcome)[:2000]
    approvals_rules.REVERSAL_APPROVAL.apply(red, "reject" if outcome == "rejected" else "withdraw")
