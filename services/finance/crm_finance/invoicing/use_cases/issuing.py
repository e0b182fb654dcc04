"""Invoices from draft to issued (FIN-05): per order, partial, never more than the order (in total
and per line), with a tax rate per line, a buyer title copied as issued, numbered per branch
without gaps; then the fapiao number and date the tax system gave it.

Gap-free numbering: the number is given at issue, from a counter row incremented inside the
invoice's own transaction after every check has passed; the counter stays locked until commit, so
issuers of one branch queue up on it and a refused or rolled-back invoice takes no number. A draft
has none yet.
"""
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.money import total
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import NoInput, load_body
from crm_finance.approvals import rules as approvals_rules, use_cases as approvals
from crm_finance.db import SCOPE, today
from crm_finance.invoicing import events, rules
from crm_finance.invoicing.models import BuyerTitle, Invoice, InvoiceLine, OrderLine
from crm_finance.invoicing.schemas import FapiaoIn, InvoiceIn, InvoiceOut
from crm_finance.receivables.models import Receivable

WRITE, READ = "invoices.write", "invoices.read"
log = logging.getLogger(__name__)


def receivable_of(session, principal, order_id) -> Receivable:
    stmt = (select(Receivable).where(Receivable.order_id == str(order_id), scope_filter(principal, Receivable))
            .with_for_update().execution_options(populate_existing=True))
    receivable = session.execute(stmt).scalar_one_or_none()
    if receivable is None:
        raise InvalidInput("No receivable for this order", {"order_id": ["No approved order with this id."]})
    return receivable


def locked_order_lines(session, order_id) -> dict:
    """The order's lines, locked in id order (every writer of them takes them so)."""
    return {line.id: line for line in session.execute(
        select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id).with_for_update()
        .execution_options(populate_existing=True)).scalars()}


def _check_lines(session, order_id, wanted: list) -> dict:
    """Lock the order's lines and check each wanted (line id, amount) against what is left."""
    lines = locked_order_lines(session, order_id)
    errors = rules.over_invoiced_lines({key: line.not_invoiced for key, line in lines.items()}, wanted)
    if errors:
        raise InvalidInput("Cannot invoice these lines", {"lines": errors})
    return lines


def _buyer_title(session, principal, title_id, customer_id) -> BuyerTitle | None:
    if title_id is None:
        return None
    title = session.execute(select(BuyerTitle).where(
        BuyerTitle.id == str(title_id), BuyerTitle.customer_id == customer_id,
        scope_filter(principal, BuyerTitle, READ))).scalar_one_or_none()
    if title is None:
        raise InvalidInput("Unknown buyer title", {"buyer_title_id": ["No buyer title of this customer."]})
    return title


def _draft(uow, principal: Principal, data: dict) -> Invoice:
    session = uow.session
    receivable = receivable_of(session, principal, data["order_id"])
    title = _buyer_title(session, principal, data.get("buyer_title_id"), receivable.customer_id)
    rate = rules.DEFAULT_TAX_RATE if data.get("tax_rate") is None else data["tax_rate"]
    invoice = Invoice(
        id=new_id(), kind="blue", status="draft", invoice_type=data["invoice_type"], receivable_id=receivable.id,
        order_id=receivable.order_id, customer_id=receivable.customer_id, currency=receivable.currency,
        tax_rate=rate, buyer_title_id=title.id if title else None,
        title=title.name if title else data.get("title"), issued_on=today(),
        reversed_amount=0, reversed_tax=0, **{key: getattr(receivable, key) for key in SCOPE})
    if "lines" in data:
        wanted = [(str(item["order_line_id"]), item["amount"]) for item in data["lines"]]
        _check_lines(session, receivable.order_id, wanted)
        for position, item in enumerate(data["lines"]):
            line_rate = rate if item.get("tax_rate") is None else item["tax_rate"]
            invoice.lines.append(InvoiceLine(
                id=new_id(), position=position, order_line_id=str(item["order_line_id"]), amount=item["amount"],
                tax_rate=line_rate, tax_amount=rules.split_tax(item["amount"], line_rate)[1], reversed=0,
                reversed_tax=0))
        invoice.amount = total(line.amount for line in invoice.lines)
        if data.get("amount") not in (None, invoice.amount):
            raise InvalidInput("Amount differs from the lines", {"amount": [f"The lines add up to {invoice.amount}."]})
        invoice.tax_amount = total(line.tax_amount for line in invoice.lines)
    else:
        invoice.amount = data["amount"]
        invoice.tax_amount = rules.split_tax(invoice.amount, rate)[1]
    invoice.net_amount = invoice.amount - invoice.tax_amount
    return invoice


def _issuable(uow, principal: Principal, invoice: Invoice):
    """Check what is left to invoice under the locks: (buyer, receivable, the order's lines)."""
    session = uow.session
    title = _buyer_title(session, principal, invoice.buyer_title_id, invoice.customer_id)
    buyer = title.snapshot() if title else ({"name": invoice.title} if invoice.title else None)
    missing = rules.missing_title_fields(invoice.invoice_type, buyer)
    if missing:
        raise InvalidInput("A special VAT invoice (专票) needs the buyer's complete title",
                           {"buyer_title_id": [f"The buyer title lacks: {', '.join(missing)}."]})
    receivable = receivable_of(session, principal, invoice.order_id)
    order_lines = _check_lines(session, invoice.order_id, [(line.order_line_id, line.amount)
                                                           for line in invoice.lines]) if invoice.lines else {}
    not_invoiced = receivable.amount - receivable.invoiced
    if invoice.amount > not_invoiced:
        raise InvalidInput("Exceeds what is left to invoice",
                           {"amount": [f"Only {not_invoiced} of the order is not invoiced yet."]})
    return buyer, receivable, order_lines


def _issue(uow, principal: Principal, invoice: Invoice) -> None:
    """Copy the title, number it and tell sales."""
    session = uow.session
    buyer, receivable, order_lines = _issuable(uow, principal, invoice)
    applied = []
    for line in invoice.lines:
        order_lines[line.order_line_id].invoiced += line.amount
        applied.append((order_lines[line.order_line_id], line.amount))
    rules.LIFECYCLE.apply(invoice, "issue")
    receivable.invoiced += invoice.amount
    invoice.buyer, invoice.issued_on = buyer, today()
    invoice.number = uow.document_number("invoice", receivable.branch)  # last: the counter lock is shortest
    session.flush()
    uow.emit("finance.invoice_issued", events.invoice_issued(invoice, receivable, applied))


def _issue_or_hold(uow, principal: Principal, invoice: Invoice) -> None:
    """Issue it, or (a flow for invoices is configured) check it and hold it for approval."""
    if not approvals.held(uow.session, approvals_rules.INVOICE):
        _issue(uow, principal, invoice)
        return
    _issuable(uow, principal, invoice)
    rules.LIFECYCLE.apply(invoice, "submit")
    invoice.approval_note = None
    uow.session.flush()
    approvals.request(uow, principal, approvals_rules.INVOICE, invoice, number=f"INV-DRAFT-{invoice.id[:8]}",
                      amount=invoice.amount, customer_id=invoice.customer_id, order_id=invoice.order_id,
                      summary=f"{invoice.invoice_type} {invoice.amount} {invoice.currency}")


def create(uow, principal: Principal, payload) -> dict:
    principal.require(WRITE)
    data = load_body(InvoiceIn(), payload)
    with uow:
        invoice = _draft(uow, principal, data)
        uow.session.add(invoice)
        if not data["draft"]:
            _issue_or_hold(uow, principal, invoice)
        uow.session.flush()
        return InvoiceOut().dump(invoice)


def issue(uow, principal: Principal, invoice_id, payload=None) -> dict:
    principal.require(WRITE)
    load_body(NoInput(), payload or {})
    with uow:
        invoice = get_in_scope(uow.session, Invoice, invoice_id, principal, for_update=True,
                               permission=WRITE, read_permission=READ)
        rules.LIFECYCLE.next_status(invoice.status, "submit")  # a draft only: a 409 before any other check
        _issue_or_hold(uow, principal, invoice)
        return InvoiceOut().dump(invoice)


def apply_decision(uow, data: dict, outcome: str) -> None:
    """sales.approval_decided / _withdrawn for a held invoice: approved, it is issued (checked again:
    what was left to invoice may have gone meanwhile, then it is a draft again with the reason);
    rejected or withdrawn, it is a draft again. Once: a document no longer held is left alone."""
    invoice = uow.session.get(Invoice, data["document_id"], with_for_update=True)
    if invoice is None or invoice.status != "pending_approval":
        log.warning("approval %s of invoice %s: nothing to apply (%s)", data["approval_id"], data["document_id"],
                    invoice.status if invoice else "gone")
        return
    invoice.approval_id = data["approval_id"]
    if outcome == "approved":
        try:  # every check comes before the first change: a refusal leaves the invoice as it was
            _issue(uow, approvals.deciding_principal(invoice.branch), invoice)
            return
        except InvalidInput as refused:
            invoice.approval_note = f"Approved, but no longer issuable: {refused}"[:2000]
    else:
        invoice.approval_note = (data.get("comment") or outcome)[:2000]
    rules.LIFECYCLE.apply(invoice, "back_to_draft")


def record_fapiao(uow, principal: Principal, invoice_id, payload) -> dict:
    """The tax system's fapiao number and date, once, on an invoice it has issued."""
    principal.require(WRITE)
    data = load_body(FapiaoIn(), payload)
    try:
        with uow:
            invoice = get_in_scope(uow.session, Invoice, invoice_id, principal, for_update=True,
                                   permission=WRITE, read_permission=READ)
            if invoice.status in ("draft", "pending_approval"):
                raise Conflict("A draft has no fapiao yet: issue it first", {"status": [invoice.status]})
            if invoice.fapiao_number is not None:
                raise Conflict(f"This invoice already has fapiao {invoice.fapiao_number}",
                               {"fapiao_number": [invoice.fapiao_number]})
            invoice.fapiao_number, invoice.fapiao_date = data["fapiao_number"], data["fapiao_date"]
            uow.session.flush()
            return InvoiceOut().dump(invoice)
    except IntegrityError:
        raise Conflict("Another invoice has this fapiao number",
                       {"fapiao_number": ["Already recorded on another invoice."]}) from None
