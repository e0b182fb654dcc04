"""Red-letter reversals (红冲): a negative invoice linked to the original with a reason, for all of
it or a part, never more than what remains un-reversed.

The original invoice's row lock serialises every reversal of it: concurrent reversals queue up,
each sees what the one before took, so exactly one of two full reversals wins (the other finds it
reversed, 409) and partial ones never add up past the invoice (422). What was invoiced follows at
once in finance (the receivable, the order lines it keeps) and, through finance.invoice_reversed,
in sales (the order lines' invoiced).
"""
from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.money import ZERO, total
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance.db import SCOPE, today
from crm_finance.invoicing import events, rules
from crm_finance.invoicing.models import Invoice, InvoiceLine
from crm_finance.invoicing.schemas import InvoiceOut, InvoiceReversalIn
from crm_finance.invoicing.use_cases.issuing import READ, WRITE, locked_order_lines, receivable_of


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
        red = Invoice(id=new_id(), kind="red", status="issued", invoice_type=original.invoice_type,
                      receivable_id=original.receivable_id, order_id=original.order_id,
                      customer_id=original.customer_id, currency=original.currency, tax_rate=original.tax_rate,
                      buyer_title_id=original.buyer_title_id, buyer=original.buyer, title=original.title,
                      original_invoice_id=original.id, reason=data["reason"].strip(), issued_on=today(),
                      reversed_amount=0, reversed_tax=0, **{key: getattr(original, key) for key in SCOPE})
        applied = []
        if original.lines:
            shares = _line_shares(original, data)
            order_lines = locked_order_lines(session, original.order_id)
            for position, (line, share) in enumerate(shares):
                tax = rules.reversal_tax(share, line.tax_rate, line.amount - line.reversed,
                                         line.tax_amount - line.reversed_tax)
                line.reversed += share
                line.reversed_tax += tax
                order_lines[line.order_line_id].invoiced -= share
                applied.append((order_lines[line.order_line_id], share))
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
        original.reversed_amount += amount
        original.reversed_tax += tax
        if original.not_reversed == ZERO:
            rules.LIFECYCLE.apply(original, "reverse_fully")
        receivable.invoiced -= amount
        red.number = uow.document_number("invoice", receivable.branch)  # last: the counter lock is shortest
        session.add(red)
        session.flush()
        uow.emit("finance.invoice_reversed", events.invoice_reversed(red, original, receivable, applied))
        return InvoiceOut().dump(red)
