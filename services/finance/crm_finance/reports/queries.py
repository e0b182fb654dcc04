"""Read models over receivables: the ageing report (FIN-04) and the customer statement (FIN-08).

Both are single aggregate queries over the scoped receivables, served by the partial index on
unpaid receivables and the customer index, so they stay fast with hundreds of thousands of rows.
"""
from decimal import Decimal

from sqlalchemy import Date, case, func, literal, select

from crm_common import branch_time, rollups
from crm_common.errors import NotFound
from crm_common.money import cents, total
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_finance.db import ROLLUPS as R
from crm_finance.db import today
from crm_finance.invoicing.models import Invoice
from crm_finance.receivables import rules as receivables
from crm_finance.receivables.models import Receipt, ReceiptReversal, Receivable
from crm_finance.reports.schemas import (AgeingOut, AgeingQuery, ReceiptRankingOut, ReceiptRankingQuery, ReceiptsOut,
                                         ReceiptsQuery, StatementOut, StatementQuery)

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


# --- the report pack (issue 17): sums over the rollups kept from finance's events -----------------

ZERO = Decimal(0)
# whose figures the caller sees: the scope of the permission that reads the records counted
READS = {"receipts": "receipts.read", "invoices": "invoices.read"}


def receipts(uow, principal: Principal, query) -> dict:
    """Received and invoiced per period (each within the scope of its own read permission), and
    what was invoiced but not received."""
    q = load_query(ReceiptsQuery(), query)
    readable = [metric for metric, permission in READS.items() if principal.has(permission)]
    if not readable:
        principal.require("receipts.read")
    periods: dict = {}
    period = rollups.bucket(R, q["period"]).label("period")
    with uow:
        for metric in readable:
            conditions = [*rollups.scoped(R, principal, READS[metric], [metric], q), R.c.currency == q["currency"]]
            for row in rollups.grouped(uow.session, R, conditions, [period], ("count", "amount"), order=[period]):
                item = periods.setdefault(row.period, _receipt_figures())
                item["receipts" if metric == "receipts" else "invoices"] += row.count
                item["received" if metric == "receipts" else "invoiced"] += row.amount
    totals = _receipt_figures()
    for item in periods.values():
        for name in totals:
            totals[name] += item[name]
    return ReceiptsOut().dump({
        "period": q["period"], "zone": branch_time.zone().key, "currency": q["currency"],
        "items": [{"period": p, **_with_gap(item)} for p, item in sorted(periods.items())],
        "totals": _with_gap(totals)})


def _receipt_figures() -> dict:
    return {"receipts": 0, "received": ZERO, "invoices": 0, "invoiced": ZERO}


def _with_gap(item: dict) -> dict:
    return {**item, "not_received": item["invoiced"] - item["received"]}


def receipt_ranking(uow, principal: Principal, query) -> dict:
    """Owners by what they received (net of reversals), highest first."""
    principal.require("receipts.read")
    q = load_query(ReceiptRankingQuery(), query)
    conditions = [*rollups.scoped(R, principal, "receipts.read", ["receipts"], q), R.c.currency == q["currency"]]
    with uow:
        rows = rollups.grouped(uow.session, R, conditions, [R.c.owner_id], ("count", "amount"),
                               order=[func.sum(R.c.amount).desc(), R.c.owner_id], limit=q["limit"])
    return ReceiptRankingOut().dump({"currency": q["currency"], "items": [
        {"rank": i, "owner_id": row.owner_id, "count": row.count, "amount": row.amount}
        for i, row in enumerate(rows, 1)]})


EXPORTS = {
    "receipts": (receipts, [("period", "期间", "date"), ("receipts", "回款笔数", "number"),
                            ("received", "回款金额", "money"), ("invoices", "开票张数", "number"),
                            ("invoiced", "开票金额", "money"), ("not_received", "已开票未回款", "money")]),
    "receipt_ranking": (receipt_ranking, [("rank", "排名", "number"), ("owner_id", "负责人", "user"),
                                          ("count", "笔数", "number"), ("amount", "回款金额", "money")]),
}


SCHEMAS = {"receipts": ReceiptsOut, "receipt_ranking": ReceiptRankingOut}  # their field rules shape the file


def export(uow, principal: Principal, name: str, query) -> dict:
    if name not in EXPORTS:
        raise NotFound("No such report")
    report, columns = EXPORTS[name]
    return rollups.export_page(report(uow, principal, {k: v for k, v in (query or {}).items() if k != "format"}),
                               columns, schema=SCHEMAS[name], field_rules=principal.field_rules)
