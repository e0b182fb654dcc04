"""Reads of invoices, and what of an order is invoiced."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm_common.approvers import get_in_scope_or_approver
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_finance.approvals.rules import INVOICE, REVERSAL
from crm_finance.invoicing.models import BuyerTitle, Invoice, OrderLine
from crm_finance.invoicing.schemas import (BuyerTitleListQuery, BuyerTitleOut, InvoiceListQuery, InvoiceOut,
                                           InvoicingOut)
from crm_finance.receivables.models import Receivable

SORTS = {"created_at": Invoice.created_at, "number": Invoice.number, "issued_on": Invoice.issued_on}


def get(uow, principal: Principal, invoice_id, approves) -> dict:
    """An invoice in the caller's scope, or one they approve (a red one as its reversal)."""
    principal.require("invoices.read")
    with uow:
        return InvoiceOut().dump(get_in_scope_or_approver(
            uow.session, Invoice, invoice_id, principal, lambda invoice: REVERSAL if invoice.kind == "red" else INVOICE,
            approves))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("invoices.read")
    q = load_query(InvoiceListQuery(), query)
    # the page's lines in one query, not one per invoice as each is dumped
    stmt = select(Invoice).where(scope_filter(principal, Invoice)).options(selectinload(Invoice.lines))
    for field in ("order_id", "customer_id", "original_invoice_id", "status", "kind"):
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


TITLE_SORTS = {"created_at": BuyerTitle.created_at, "name": BuyerTitle.name}


def get_title(uow, principal: Principal, title_id) -> dict:
    principal.require("invoices.read")
    with uow:
        return BuyerTitleOut().dump(get_in_scope(uow.session, BuyerTitle, title_id, principal))


def list_titles(uow, principal: Principal, query) -> dict:
    principal.require("invoices.read")
    q = load_query(BuyerTitleListQuery(), query)
    stmt = select(BuyerTitle).where(scope_filter(principal, BuyerTitle))
    if "customer_id" in q:
        stmt = stmt.where(BuyerTitle.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, BuyerTitle.id, q, TITLE_SORTS, "-created_at")
        return {"items": BuyerTitleOut(many=True).dump(rows), "next_cursor": cursor}
