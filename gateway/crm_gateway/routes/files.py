"""Files users take away (issue 14): every exportable list's download, and exports as jobs."""
from crm_common.api_contract import Contract
from crm_gateway.files import export_jobs, exports
from crm_gateway.routes.base import Route

ROUTES = [
    # the list's filters in the query string, plus format=csv|xlsx; the service's contract says them
    *[Route("GET", f"/{name}/export", export.permission, local=exports.route(name), contract=export.rpc)
      for name, export in exports.LISTS.items()],
    Route("POST", "/exports", None, 202, local=export_jobs.start,
          contract=Contract(body=export_jobs.ExportJobIn, returns=export_jobs.ExportJobOut)),
    Route("GET", "/exports/<id>", None, local=export_jobs.get, contract=Contract(returns=export_jobs.ExportJobOut)),
    Route("GET", "/exports/<id>/file", None, local=export_jobs.download, contract=Contract(media_type="*/*")),
]
