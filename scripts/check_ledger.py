"""Consistency check across services: do the goods and the money add up? (`make check-ledger`)

Reads every service database directly (read-only) and reports each breach of the invariants:
- never shipped more than ordered; a line's shipped = its non-cancelled shipments;
- a receivable never received more than its amount (the order total); received = its receipts
  minus their reversals;
- never invoiced more than the order, in total or per line; invoiced = the issued invoices
  (red-letter ones negative); never reversed more than an invoice, reversed = its red invoices;
- a bank account's balance = the sum of its entries; every booked receipt, reversal and paid
  payment has exactly its entry;
- advances (预收款) held or applied never exceed the order's total; an applied one is exactly one
  receipt (booked with the advance's entry); a refundable or refunded one has its refund payment,
  paid once it is refunded;
- every approved order has exactly one receivable, for the order's total; once the order ended
  (its fulfilment closed), for the shipped value, with nothing left to ship and no shipment after
  the closing, and what was received beyond it owed back by a refund payment.
Exit status 1 when anything is breached. CRM_DB_PREFIX selects the suite (default `crm_`).
"""
import json
import os
import sys

import psycopg

from crm_common.money import ZERO, pro_rata, total

CHECKS = {
    "logistics": [
        ("shipped more than ordered",
         "SELECT id, ordered, shipped FROM fulfilment_lines WHERE shipped > ordered OR shipped < 0"),
        ("shipped differs from the non-cancelled shipments",
         """SELECT l.id, l.shipped, coalesce(sum(sl.quantity) FILTER (WHERE s.status <> 'cancelled'), 0)
            FROM fulfilment_lines l LEFT JOIN shipment_lines sl ON sl.fulfilment_line_id = l.id
            LEFT JOIN shipments s ON s.id = sl.shipment_id GROUP BY l.id, l.shipped
            HAVING l.shipped <> coalesce(sum(sl.quantity) FILTER (WHERE s.status <> 'cancelled'), 0)"""),
        ("closed fulfilment with quantity neither shipped nor released, or an open one with a release",
         """SELECT l.id, f.status, l.ordered, l.shipped, l.released FROM fulfilment_lines l
            JOIN fulfilments f ON f.id = l.fulfilment_id
            WHERE (f.status = 'closed' AND l.shipped + l.released <> l.ordered)
               OR (f.status <> 'closed' AND l.released <> 0)"""),
        ("shipment after its order ended",
         """SELECT s.id, s.status, f.closed_at FROM shipments s JOIN fulfilments f ON f.id = s.fulfilment_id
            WHERE f.closed_at IS NOT NULL AND s.status <> 'cancelled'
              AND (s.created_at > f.closed_at OR s.shipped_at > f.closed_at)"""),
        ("returned goods received beyond the return",
         "SELECT id, expected, received FROM goods_return_lines WHERE received > expected"),
    ],
    "finance": [
        ("received more than the receivable",
         "SELECT id, amount, received FROM receivables WHERE received > amount + refund_due OR received < 0"),
        ("refund due without its refund payment",
         """SELECT r.id, r.refund_due FROM receivables r LEFT JOIN payments p
            ON p.kind = 'closing_refund' AND p.source_id = r.id AND p.amount = r.refund_due
            WHERE r.refund_due <> greatest(r.received - r.amount, 0) OR (r.refund_due > 0 AND p.id IS NULL)"""),
        ("received differs from receipts minus reversals",
         """SELECT r.id, r.received, coalesce(sum(c.amount) FILTER (WHERE v.id IS NULL), 0)
            FROM receivables r LEFT JOIN receipts c ON c.receivable_id = r.id
            LEFT JOIN receipt_reversals v ON v.receipt_id = c.id GROUP BY r.id, r.received
            HAVING r.received <> coalesce(sum(c.amount) FILTER (WHERE v.id IS NULL), 0)"""),
        ("invoiced more than the order",
         "SELECT id, amount, invoiced FROM receivables WHERE invoiced > amount + red_invoice_due OR invoiced < 0"),
        ("invoiced differs from the invoices",
         """SELECT r.id, r.invoiced, coalesce(sum(i.amount), 0) FROM receivables r
            LEFT JOIN invoices i ON i.receivable_id = r.id AND i.status IN ('issued', 'reversed') GROUP BY r.id, r.invoiced
            HAVING r.invoiced <> coalesce(sum(i.amount), 0)"""),
        ("line invoiced more than the line or differs from invoice lines",
         """SELECT l.id, l.amount, l.invoiced, coalesce(sum(il.amount), 0) FROM order_lines l
            LEFT JOIN (invoice_lines il JOIN invoices li ON li.id = il.invoice_id AND li.status IN ('issued', 'reversed'))
                   ON il.order_line_id = l.id GROUP BY l.id, l.amount, l.invoiced
            HAVING l.invoiced > l.amount OR l.invoiced <> coalesce(sum(il.amount), 0)"""),
        ("reversed differs from the red invoices, or more than the invoice",
         """SELECT i.id, i.amount, i.reversed_amount, -coalesce(sum(r.amount), 0) FROM invoices i
            LEFT JOIN invoices r ON r.original_invoice_id = i.id AND r.status IN ('issued', 'pending_approval')
            WHERE i.kind = 'blue'
            GROUP BY i.id, i.amount, i.reversed_amount
            HAVING i.reversed_amount <> -coalesce(sum(r.amount), 0) OR i.reversed_amount > i.amount"""),
        ("invoice net + tax differs from its amount",
         "SELECT id, amount, net_amount, tax_amount FROM invoices WHERE net_amount + tax_amount <> amount"),
        ("bank balance differs from the sum of its entries",
         """SELECT a.id, a.balance, coalesce(sum(e.amount), 0) FROM bank_accounts a
            LEFT JOIN bank_entries e ON e.bank_account_id = a.id GROUP BY a.id, a.balance
            HAVING a.balance <> coalesce(sum(e.amount), 0)"""),
        # an applied advance's receipt keeps the entry the advance was booked with
        ("receipt into an account without its entry",
         """SELECT c.id, c.amount FROM receipts c LEFT JOIN bank_entries e
            ON e.amount = c.amount AND ((e.kind = 'receipt' AND e.source_id = c.id)
                                        OR (e.kind = 'advance_receipt' AND e.source_id = c.advance_id))
            WHERE c.bank_account_id IS NOT NULL AND e.id IS NULL"""),
        ("advance into an account without its entry",
         """SELECT a.id, a.amount FROM advance_receipts a LEFT JOIN bank_entries e
            ON e.kind = 'advance_receipt' AND e.source_id = a.id AND e.amount = a.amount
            WHERE a.bank_account_id IS NOT NULL AND e.id IS NULL"""),
        ("advances held or applied beyond the order's total",
         """SELECT o.id, o.total, sum(a.amount) FROM order_facts o JOIN advance_receipts a ON a.order_id = o.id
            WHERE a.status IN ('held', 'applied') GROUP BY o.id, o.total HAVING sum(a.amount) > o.total"""),
        ("applied advance without its receipt, or a receipt from an advance not applied",
         """SELECT a.id, a.status, c.id FROM advance_receipts a FULL JOIN receipts c ON c.advance_id = a.id
            WHERE (c.advance_id IS NOT NULL OR a.status = 'applied')
              AND (a.status IS DISTINCT FROM 'applied' OR c.id IS NULL OR c.amount <> a.amount
                   OR c.id <> a.receipt_id)"""),
        ("advance given back without its refund payment, or refunded but not paid",
         """SELECT a.id, a.status, p.status FROM advance_receipts a LEFT JOIN payments p
            ON p.kind = 'advance_refund' AND p.source_id = a.id AND p.amount = a.amount
            WHERE (a.status IN ('refundable', 'refunded') AND p.id IS NULL)
               OR ((a.status = 'refunded') <> (p.status IS NOT DISTINCT FROM 'paid'))"""),
        ("reversal of a booked receipt without its entry",
         """SELECT v.id FROM receipt_reversals v JOIN receipts c ON c.id = v.receipt_id
            LEFT JOIN bank_entries e ON e.kind = 'receipt_reversal' AND e.source_id = v.id AND e.amount = -c.amount
            WHERE c.bank_account_id IS NOT NULL AND e.id IS NULL"""),
        ("paid payment without its entry, or an entry for an unpaid one",
         """SELECT p.id, p.status FROM payments p LEFT JOIN bank_entries e
            ON e.kind = 'payment' AND e.source_id = p.id AND e.amount = -p.amount
            WHERE (p.status = 'paid') <> (e.id IS NOT NULL)"""),
    ],
}
NOT_APPROVED = ("draft", "submitted", "rejected", "cancelled")
ENDED = ("completed", "closed")


def _connect(prefix: str, component: str):
    return psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefix}{component}")


def _receivables_per_order(prefix: str) -> tuple[list, list]:
    """Every approved order has exactly one receivable, for the order's total until it ended; an
    ended order's fulfilment is closed and its receivable is the shipped value (across databases).
    Returns (orders whose receivable is wrong, ended orders whose fulfilment still ships)."""
    with _connect(prefix, "sales") as sales, _connect(prefix, "logistics") as logistics, \
            _connect(prefix, "finance") as finance:
        orders = {str(order_id): (total, status) for order_id, total, status in sales.execute(
            "SELECT id, total, status FROM orders WHERE status <> ALL(%s)", (list(NOT_APPROVED),))}
        line_amounts = {str(line_id): amount for line_id, amount in sales.execute(
            "SELECT l.id, l.amount FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status = ANY(%s)",
            (list(ENDED),))}
        closed = {}
        for order_id, line_id, ordered, shipped in logistics.execute(
                """SELECT f.order_id, l.order_line_id, l.ordered, l.shipped FROM fulfilments f
                   JOIN fulfilment_lines l ON l.fulfilment_id = f.id WHERE f.status = 'closed'"""):
            closed.setdefault(str(order_id), []).append((str(line_id), ordered, shipped))
        receivables = {}
        for order_id, amount in finance.execute("SELECT order_id, amount FROM receivables"):
            receivables.setdefault(str(order_id), []).append(amount)
    wrong, still_shipping = [], []
    for order_id, (order_total, status) in orders.items():
        expected = order_total
        if order_id in closed:
            expected = total(pro_rata(line_amounts.get(line_id, ZERO), shipped, ordered)
                             for line_id, ordered, shipped in closed[order_id])
        elif status in ENDED:
            still_shipping.append([order_id, status])
        found = receivables.get(order_id, [])
        if len(found) != 1 or found[0] != expected:
            wrong.append([order_id, str(expected), [str(a) for a in found]])
    return wrong, still_shipping


def check(prefix: str) -> dict:
    """{description: [offending rows]} for every breached invariant; empty when all hold."""
    breaches = {}
    for component, checks in CHECKS.items():
        with _connect(prefix, component) as conn:
            for description, sql in checks:
                rows = conn.execute(sql).fetchall()
                if rows:
                    breaches[f"{component}: {description}"] = [[str(v) for v in row] for row in rows[:20]]
    missing, still_shipping = _receivables_per_order(prefix)
    if missing:
        breaches["approved order without exactly one receivable for its total (the shipped value once ended)"] = \
            missing[:20]
    if still_shipping:
        breaches["ended order whose fulfilment is not closed"] = still_shipping[:20]
    return breaches


def main() -> None:
    breaches = check(os.environ.get("CRM_DB_PREFIX", "crm_"))
    if breaches:
        print(json.dumps(breaches, indent=2, ensure_ascii=False))
        sys.exit(1)
    print("ledger OK: goods and money add up")


if __name__ == "__main__":
    main()
