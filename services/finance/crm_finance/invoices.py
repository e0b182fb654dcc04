"""Use cases for invoices (FIN-05): per order, partial, never more than the order (in total and
per line), numbered per branch and year without gaps.

Gap-free numbering: the number comes from a counter row incremented inside the invoice's own
transaction, after every check has passed; the counter stays locked until commit, so issuers of
one branch queue up on it and a rolled-back invoice rolls its number back too.
"""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_finance import money_rules
from crm_finance.models import Invoice, InvoiceLine, OrderLine, Receivable
from crm_finance.receivables import SCOPE, today
from crm_finance.schemas import InvoiceIn, InvoiceListQuery, InvoiceOut, InvoicingOut

SORTS = {"created_at": Invoice.created_at, "number": Invoice.number, "issued_on": Invoice.issued_on}
DEFAULT_TAX_RATE = Decimal("0.13")  # the standard VAT rate on goods


def record_order_lines(uow, order: dict) -> None:
    """Handle sales.order_approved: keep the lines so invoices can be split per line."""
    session = uow.session
    if session.execute(select(OrderLine.id).where(OrderLine.order_id == order["order_id"])).first():
        return
    session.add_all(OrderLine(id=line["line_id"], order_id=order["order_id"], position=position,
                              product_name=line["product_name"],
                              amount=line["amount"], invoiced=Decimal(0))
                    for position, line in enumerate(order["lines"]))


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
    errors = {}
    for index, item in enumerate(requested):
        line = lines.get(str(item["order_line_id"]))
        if line is None:
            errors[index] = {"order_line_id": ["Not a line of this order."]}
        elif item["amount"] > line.not_invoiced:
            errors[index] = {"amount": [f"Exceeds the line's not invoiced {line.not_invoiced}."]}
    if errors:
        raise InvalidInput("Cannot invoice these lines", {"lines": errors})
    return [(lines[str(item["order_line_id"])], item["amount"]) for item in requested]


def create(uow, principal: Principal, payload) -> dict:
    principal.require("invoices.write")
    data = load_body(InvoiceIn(), payload)
    with uow:
        receivable = _receivable_for_order(uow.session, principal, data["order_id"])
        lines = _invoice_lines(uow.session, receivable.order_id, data["lines"]) if "lines" in data else []
        amount = sum((value for _, value in lines), Decimal(0)) if lines else data["amount"]
        if lines and data.get("amount") not in (None, amount):
            raise InvalidInput("Amount differs from the lines", {"amount": [f"The lines add up to {amount}."]})
        not_invoiced = receivable.amount - receivable.invoiced
        if amount > not_invoiced:
            raise InvalidInput("Exceeds what is left to invoice",
                               {"amount": [f"Only {not_invoiced} of the order is not invoiced yet."]})
        rate = DEFAULT_TAX_RATE if data.get("tax_rate") is None else data["tax_rate"]
        net, tax = money_rules.split_tax(amount, rate)
        invoice = Invoice(
            id=new_id(), receivable_id=receivable.id, order_id=receivable.order_id,
            customer_id=receivable.customer_id, currency=receivable.currency, amount=amount, tax_rate=rate,
            tax_amount=tax, net_amount=net, title=data.get("title"), issued_on=today(),
            **{key: getattr(receivable, key) for key in SCOPE})
        for position, (line, value) in enumerate(lines):
            line.invoiced += value
            invoice.lines.append(InvoiceLine(id=new_id(), position=position, order_line_id=line.id, amount=value))
        receivable.invoiced += amount
        invoice.number = uow.next_number(f"INV-{receivable.branch}")  # last: the counter lock is shortest
        uow.session.add(invoice)
        uow.session.flush()
        uow.emit("finance.invoice_issued", {
            "invoice_id": invoice.id, "number": invoice.number, "order_id": invoice.order_id,
            "customer_id": invoice.customer_id, "amount": amount, "tax_amount": tax, "currency": invoice.currency,
            "lines": [{"order_line_id": line.id, "amount": value} for line, value in lines],
            **{key: getattr(receivable, key) for key in SCOPE}})
        return InvoiceOut().dump(invoice)


def get(uow, principal: Principal, invoice_id) -> dict:
    principal.require("invoices.read")
    with uow:
        return InvoiceOut().dump(get_in_scope(uow.session, Invoice, invoice_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("invoices.read")
    q = load_query(InvoiceListQuery(), query)
    stmt = select(Invoice).where(scope_filter(principal, Invoice))
    for field in ("order_id", "customer_id"):
        if field in q:
            stmt = stmt.where(getattr(Invoice, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Invoice.id, q, SORTS, "-created_at")
        return {"items": InvoiceOut(many=True).dump(rows), "next_cursor": cursor}


def invoicing(uow, principal: Principal, receivable_id) -> dict:
    """Invoiced vs not invoiced, for the order as a whole and per line."""
    principal.require("invoices.read")
    with uow:
        receivable = get_in_scope(uow.session, Receivable, receivable_id, principal)
        lines = uow.session.execute(select(OrderLine).where(OrderLine.order_id == receivable.order_id)
                                    .order_by(OrderLine.position)).scalars().all()
        return InvoicingOut().dump({
            "id": receivable.id, "order_id": receivable.order_id, "order_number": receivable.order_number,
            "currency": receivable.currency, "amount": receivable.amount, "invoiced": receivable.invoiced,
            "not_invoiced": receivable.amount - receivable.invoiced, "lines": lines})
