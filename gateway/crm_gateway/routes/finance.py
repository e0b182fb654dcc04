"""Finance service routes (FIN-*)."""
from crm_gateway.routes.base import crud

ROUTES = [
    *crud("receivables", "finance", "receivable", "receivables", create=False, update=False),
    *crud("receipts", "finance", "receipt", "receipts", update=False),
]
