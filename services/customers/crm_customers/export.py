"""Export of a filtered customer list as CSV, within the caller's scope (CUS-12).

Synchronous and capped (EXPORT_LIMIT rows); the columns are the import's, so an export can be
edited and imported back (upsert by code).
"""
import csv
import io

from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers import customer_query
from crm_customers.models import Customer
from crm_customers.schemas import CustomerFilters
from crm_customers.schemas_more import ExportOut

EXPORT_LIMIT = 50_000
COLUMNS = ("code", "kind", "name", "short_name", "industry", "source", "value_level", "province", "city",
           "district", "address", "phone", "email", "website", "group_path", "tags", "notes")


def export(uow, principal: Principal, query) -> dict:
    principal.require("customers.export")
    plain, custom = customer_query.split_custom(query)
    q = load_query(CustomerFilters(), plain)
    with uow:
        stmt = customer_query.apply_filters(uow.session, customer_query.visible(principal), q, custom)
        rows = uow.session.execute(stmt.order_by(Customer.created_at, Customer.id)
                                   .limit(EXPORT_LIMIT + 1)).scalars().all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in rows[:EXPORT_LIMIT]:
        writer.writerow(["|".join(c.tags or []) if col == "tags" else (getattr(c, col) or "") for col in COLUMNS])
    return ExportOut().dump({"csv": out.getvalue(), "count": min(len(rows), EXPORT_LIMIT),
                             "truncated": len(rows) > EXPORT_LIMIT})
