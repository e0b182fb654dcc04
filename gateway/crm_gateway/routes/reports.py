"""The report pack (issue 17): each report one call, read from the owning service's rollups
(docs/reports.md), scoped there by the caller's data scope; each one also as a file at
`<path>/export` (routes/files.py, files/exports.py REPORTS)."""
from crm_gateway.routes.base import Route

# path → (service.method, the permission the route asks for; None: the service checks which of
# the counted records' read permissions the caller holds)
REPORTS = {
    "/reports/funnel": ("sales.funnel_report", "opportunities.read"),
    "/reports/opportunities": ("sales.opportunities_report", "opportunities.read"),
    "/reports/sales-amounts": ("sales.sales_amounts_report", None),
    "/reports/sales-ranking": ("sales.sales_ranking_report", None),
    "/reports/products": ("sales.product_ranking_report", "orders.read"),
    "/reports/targets": ("sales.target_completion_report", "orders.read"),
    "/reports/receipts": ("finance.receipts_report", None),
    "/reports/receipt-ranking": ("finance.receipt_ranking_report", "receipts.read"),
    "/reports/follow-ups": ("customers.follow_ups_report", "customers.read"),
    "/reports/leads": ("customers.leads_report", "customers.read"),
    "/reports/customer-ranking": ("customers.customer_ranking_report", "customers.read"),
}

ROUTES = [Route("GET", path, permission, rpc=rpc, takes="query", report=True)
          for path, (rpc, permission) in REPORTS.items()]
