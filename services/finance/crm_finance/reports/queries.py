"""Read models over receivables: the ageing report (FIN-04) and the customer statement (FIN-08).

Both are single aggregate queries over the scoped receivables, served by the partial index on
unpaid receivables and the customer index, so they stay fast with hundreds of thousands of rows.
"""
from decimal import Decimal

from sqlalchemy import Date, case, func, literal, select

from crm_common.errors import NotFound
from crm_common.money import cents, total
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_finance.db import today
from crm_finance.invoicing.models import Invoice
from crm_finance.receivables import rules as receivables
from crm_finance.receivables.models import Receipt, ReceiptReversal, Receivable
from crm_finance.reports.schemas import AgeingOut, AgeingQuery, StatementOut, StatementQuery

STATEMENT_ROWS = 100  # newest rows per section; the totals always cover everything


def _bucket(as_of):
    days = literal(as_of, Date) - Receivable.due_date  # date - date is an integer in PostgreSQL
    whens = [(days <= 0, receivables.CURRENT)]
    whens += [(days <= limit, name) for limit, name in receivables.BUCKET_LIMITS]
    return case(*whens, else_=receivables.BUCKETS[-1])


def ageing(uow, principal: Principal, query) -> dict:
    principal.require("finance.reports")
    q = load_query(AgeingQuery(), query)
    as_of = q.get("as_of") or today()
    bucket = _bucket(as_of).label("bucket")
    stmt = (select(Receivable.currency, bucket, func.count(), func.sum(Receivable.amount - Receivable.received))
            .where(Receivable.status.not_in(receivables.SETTLED), scope_filter(principal, Receivable))
            .group_by(Receivable.currency, bucket))
    if "customer_id" in q:
        stmt = stmt.where(Receivable.customer_id == str(q["customer_id"]))
    report = {}
    with uow:
        for currency, name, count, outstanding in uow.session.execute(stmt):
            report.setdefault(currency, _empty_buckets())[name] = {"count": count, "outstanding": outstanding}
    for row in report.values():
        row["overdue_total"] = total(row[name]["outstanding"] for name in receivables.BUCKETS)
    return AgeingOut().dump({"as_of": as_of, "currencies": report})


def _empty_buckets() -> dict:
    return {name: {"count": 0, "outstanding": Decimal(0)} for name in (receivables.CURRENT, *receivables.BUCKETS)}


def statement(uow, principal: Principal, customer_id, query) -> dict:
    """Receivables, receipts, invoices and arrears of one customer, within the caller's scope."""
    principal.require("finance.reports")
    q = load_query(StatementQuery(), query)
    if not is_uuid(customer_id):  # the id column is a UUID: anything else would fail in the database
        raise NotFound("Customer not found")
    as_of = q.get("as_of") or today()
    customer_id = str(customer_id)
    in_scope = scope_filter(principal, Receivable)
    with uow:
        session = uow.session
        totals = session.execute(
            select(Receivable.currency, func.count(), func.sum(Receivable.amount), func.sum(Receivable.received),
                   func.sum(Receivable.invoiced),
                   func.coalesce(func.sum(case((Receivable.due_date < as_of, Receivable.amount - Receivable.received),
                                               else_=0)), 0))
            .where(Receivable.customer_id == customer_id, in_scope).group_by(Receivable.currency)).all()
        receivables = session.execute(
            select(Receivable).where(Receivable.customer_id == customer_id, in_scope)
            .order_by(Receivable.due_date.desc(), Receivable.id).limit(STATEMENT_ROWS)).scalars().all()
        receipts = session.execute(
            select(Receipt).join(Receivable, Receipt.receivable_id == Receivable.id)
            .where(Receivable.customer_id == customer_id, in_scope, Receipt.status == "recorded")
            .order_by(Receipt.received_on.desc(), Receipt.number.desc()).limit(STATEMENT_ROWS)).scalars().all()
        invoices = session.execute(
            select(Invoice).where(Invoice.customer_id == customer_id, Invoice.status.in_(("issued", "reversed")),
                                  scope_filter(principal, Invoice))
            .order_by(Invoice.issued_on.desc(), Invoice.number.desc()).limit(STATEMENT_ROWS)).scalars().all()
        reversed_total = dict(session.execute(
            select(Receipt.currency, func.sum(Receipt.amount))
            .join(ReceiptReversal, ReceiptReversal.receipt_id == Receipt.id)
            .join(Receivable, Receipt.receivable_id == Receivable.id)
            .where(Receivable.customer_id == customer_id, in_scope).group_by(Receipt.currency)).all())
        return StatementOut().dump({
            "customer_id": customer_id, "as_of": as_of,
            "totals": {currency: {"receivables": count, "amount": amount, "received": received,
                                  "outstanding": amount - received, "invoiced": invoiced,
                                  "not_invoiced": amount - invoiced, "arrears": cents(Decimal(arrears)),
                                  "reversed": reversed_total.get(currency, Decimal(0))}
                       for currency, count, amount, received, invoiced, arrears in totals},
            "receivables": receivables, "receipts": receipts, "invoices": invoices,
        })
