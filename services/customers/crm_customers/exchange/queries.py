"""Reads of the exchange: an import job's progress and errors, and the CSV export (CUS-12).

The export is synchronous and capped (EXPORT_LIMIT rows); its columns are the import's, so an
export can be edited and imported back (upsert by code).
"""
import csv
import io

from crm_common.errors import NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import apply_filters, split_custom, visible
from crm_customers.customers.schemas import CustomerFilters
from crm_customers.exchange.models import ImportJob
from crm_customers.exchange.schemas import ExportOut, ImportJobOut

PERMISSION = "customers.import"
EXPORT_LIMIT = 50_000
COLUMNS = ("code", "kind", "name", "short_name", "industry", "source", "value_level", "province", "city",
           "district", "address", "phone", "email", "website", "group_path", "tags", "notes")


def own_job(session, principal, job_id, for_update=False) -> ImportJob:
    """The caller's own import job; anyone else's answers 404 like a missing one."""
    job = session.get(ImportJob, str(job_id), with_for_update=for_update) if is_uuid(job_id) else None
    if job is None or job.principal["user_id"] != principal.user_id:
        raise NotFound("Import job not found")
    return job


def get(uow, principal: Principal, job_id) -> dict:
    principal.require(PERMISSION)
    with uow:
        return ImportJobOut().dump(own_job(uow.session, principal, job_id))


def export(uow, principal: Principal, query) -> dict:
    principal.require("customers.export")
    plain, custom = split_custom(query)
    q = load_query(CustomerFilters(), plain)
    with uow:
        stmt = apply_filters(uow.session, visible(principal), q, custom)
        rows = uow.session.execute(stmt.order_by(Customer.created_at, Customer.id)
                                   .limit(EXPORT_LIMIT + 1)).scalars().all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in rows[:EXPORT_LIMIT]:
        writer.writerow(["|".join(c.tags or []) if col == "tags" else (getattr(c, col) or "") for col in COLUMNS])
    return ExportOut().dump({"csv": out.getvalue(), "count": min(len(rows), EXPORT_LIMIT),
                             "truncated": len(rows) > EXPORT_LIMIT})
