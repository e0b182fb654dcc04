"""Use cases for invoices (FIN-05): per order, partial, never more than the order (in total and
per line), numbered per branch and year without gaps.

Gap-free numbering: the number comes from a counter row incremented inside the invoice's own
transaction, after every check has passed; the counter stays locked until commit, so issuers of
one branch queue up on it and a rolled-back invoice rolls its number back too.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.money import total
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_body
from crm_finance.db import SCOPE, today
from crm_finance.invoicing import events, rules
from crm_finance.invoicing.models import Invoice, InvoiceLine, OrderLine
from crm_finance.invoicing.schemas import InvoiceIn, InvoiceOut
from crm_finance.receivables.models import Receivable


def _receivable_for_order(session, principal, order_id) -> Receivable:
    stmt = (select(Receivable).where(Receivable.order_id == str(order_id), scope_filter(principal, Receivable))
            .with_for_update().execution_options(populate_existing=True))
    receivable = session.execute(stmt).scalar_one_or_none()
    if receivable is None:
        raise InvalidInput("No receivable for this order", {"order_id": ["No approved order with this id."]})
    return receivable


def _invoice_lines(session, order_id, requested) -> list:
    """Lock the order's lines (id order) and check each requested amount against what is left."""
    lines = {line.id: line for line in session.execute(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id).with_for_update()
        .execution_options(populate_existing=True)).scalars()}
    wanted = [(str(item["order_line_id"]), item["amount"]) for item in requested]
    errors = rules.over_invoiced_lines({key: line.not_invoiced for key, line in lines.items()}, wanted)
    if errors:
        raise InvalidInput("Cannot invoice these lines", {"lines": errors})
    return [(lines[line_id], amount) for line_id, amount in wanted]


def create(uow, principal: Principal, payload) -> dict:
    principal.require("invoices.write")
    data = load_body(InvoiceIn(), payload)
    with uow:
        receivable = _receivable_for_order(uow.session, principal, data["order_id"])
        lines = _invoice_lines(uow.session, receivable.order_id, data["lines"]) if "lines" in data else []
        amount = total(value for _, value in lines) if lines else data["amount"]
        if lines and data.get("amount") not in (None, amount):
            raise InvalidInput("Amount differs from the lines", {"amount": [f"The lines add up to {amount}."]})
        not_invoiced = receivable.amount - receivable.invoiced
        if amount > not_invoiced:
            raise InvalidInput("Exceeds what is left to invoice",
                               {"amount": [f"Only {not_invoiced} of the order is not invoiced yet."]})
        rate = rules.DEFAULT_TAX_RATE if data.get("tax_rate") is None else data["tax_rate"]
        net, tax = rules.split_tax(amount, rate)
        invoice = Invoice(
            id=new_id(), receivable_id=receivable.id, order_id=receivable.order_id,
            customer_id=receivable.customer_id, currency=receivable.currency, amount=amount, tax_rate=rate,
            tax_amount=tax, net_amount=net, title=data.get("title"), issued_on=today(),
            **{key: getattr(receivable, key) for key in SCOPE})
        for position, (line, value) in enumerate(lines):
            line.invoiced += value
            invoice.lines.append(InvoiceLine(id=new_id(), position=position, order_line_id=line.id, amount=value))
        receivable.invoiced += amount
        invoice.number = uow.document_number("invoice", receivable.branch)  # last: the counter lock is shortest
        uow.session.add(invoice)
        uow.session.flush()
        uow.emit("finance.invoice_issued", events.invoice_issued(invoice, receivable, lines))
        return InvoiceOut().dump(invoice)
