"""Finance service routes (FIN-*)."""
from crm_gateway.routes.base import Route, action, crud

ROUTES = [
    *crud("receivables", "finance", "receivable", "receivables", create=False, update=False),
    Route("GET", "/receivables/<id>/plan", "receivables.read", rpc="finance.get_payment_plan"),
    Route("PUT", "/receivables/<id>/plan", "receivables.write", rpc="finance.set_payment_plan", takes="body"),
    Route("GET", "/receivables/<id>/invoicing", "invoices.read", rpc="finance.get_invoicing"),
    *crud("receipts", "finance", "receipt", "receipts", update=False),
    action("receipts", "reverse", "receipts.write", "finance.reverse_receipt"),
    # 预收款: paid against an order before its receivable opens (docs/finance.md, "Advance receipts")
    Route("GET", "/orders/<id>/advance-receipts", "receipts.read", rpc="finance.list_advance_receipts"),
    Route("POST", "/orders/<id>/advance-receipts", "receipts.write", 201, "finance.record_advance_receipt", "body"),
    *crud("bank-accounts", "finance", "bank_account", "bank_accounts", update=False, sort="name"),
    Route("GET", "/bank-accounts/<id>/entries", "bank_accounts.read", rpc="finance.list_bank_entries",
          takes="query"),
    *crud("invoices", "finance", "invoice", "invoices", update=False),
    action("invoices", "issue", "invoices.write", "finance.issue_invoice"),
    action("invoices", "fapiao", "invoices.write", "finance.record_fapiao"),
    action("invoices", "reverse", "invoices.write", "finance.reverse_invoice"),
    *crud("buyer-titles", "finance", "buyer_title", "invoices"),
    *crud("payments", "finance", "payment", "payments", create=False, update=False),
    action("payments", "pay", "payments.write", "finance.pay_payment"),
    Route("GET", "/finance/ageing", "finance.reports", rpc="finance.ageing_report", takes="query", report=True),
    Route("GET", "/finance/statements/<id>", "finance.reports", rpc="finance.customer_statement", takes="query"),
    Route("POST", "/finance/dunning/run", "finance.dunning", rpc="finance.run_dunning", takes="body"),
]
