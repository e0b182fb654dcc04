"""Bring the orders and receivables that existed before the money picture into it (issue 12).

The customers service keeps each customer's money picture from sales and finance events, from
its migration 0007 on; what happened before lives only in the sales and finance databases. This
operator tool, like check_ledger.py, reads those databases directly (read-only) and writes the
customers service's `money_orders` and `money_receivables`.

Run it once after `migrate`, before the services start (or with them stopped): it copies the
current state, and an event handled while it copies could be counted on top of it. Running it
again is harmless: each row is set to its source's current state, never added to.
CRM_DB_PREFIX selects the suite (default `crm_`).
"""
import os

import psycopg

BATCH = 5000
ORDERS = """SELECT id, customer_id, total, currency, approved_at,
                   CASE WHEN status IN ('completed', 'closed') THEN updated_at END
            FROM orders WHERE approved_at IS NOT NULL"""
RECEIVABLES = "SELECT id, customer_id, amount, currency, due_date, received FROM receivables"
PUT_ORDER = """INSERT INTO money_orders (order_id, customer_id, total, currency, approved_at, ended_at)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (order_id) DO UPDATE SET customer_id = excluded.customer_id, total = excluded.total,
                   currency = excluded.currency, approved_at = excluded.approved_at,
                   ended_at = excluded.ended_at, updated_at = now()"""
PUT_RECEIVABLE = """INSERT INTO money_receivables (receivable_id, customer_id, amount, currency, due_date, received)
                    VALUES (%s, %s, %s, %s, %s, %s)
                    ON CONFLICT (receivable_id) DO UPDATE SET customer_id = excluded.customer_id,
                        amount = excluded.amount, currency = excluded.currency, due_date = excluded.due_date,
                        received = excluded.received, updated_at = now()"""


def _connect(prefix: str, component: str):
    return psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefix}{component}")


def _copy(source, select_sql: str, target, insert_sql: str) -> int:
    copied = 0
    with source.cursor(name="backfill") as rows, target.cursor() as out:  # server-side: any table size
        rows.execute(select_sql)
        while batch := rows.fetchmany(BATCH):
            out.executemany(insert_sql, batch)
            copied += len(batch)
    return copied


def backfill(prefix: str) -> dict:
    """{"orders": n, "receivables": n} copied; one transaction, so a failure leaves nothing half done."""
    with _connect(prefix, "customers") as customers:
        with _connect(prefix, "sales") as sales:
            orders = _copy(sales, ORDERS, customers, PUT_ORDER)
        with _connect(prefix, "finance") as finance:
            receivables = _copy(finance, RECEIVABLES, customers, PUT_RECEIVABLE)
    return {"orders": orders, "receivables": receivables}


def main() -> None:
    counts = backfill(os.environ.get("CRM_DB_PREFIX", "crm_"))
    print(f"money picture: {counts['orders']} orders and {counts['receivables']} receivables copied")


if __name__ == "__main__":
    main()
