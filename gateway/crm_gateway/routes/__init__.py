"""Every route of the public API: who may call it and what answers it. One module per area."""
from crm_common.api_contract import Contract
from crm_gateway import openapi
from crm_gateway.routes import customers, directory, files, finance, identity, logistics, reports, sales, workspace
from crm_gateway.routes.base import Route

ROUTES: list[Route] = [
    # describes every route, so it is given them (openapi imports no route module: no cycle)
    Route("GET", "/openapi.json", None, local=lambda c: openapi.document(c, ROUTES), public=True,
          contract=Contract()),
    *identity.ROUTES, *directory.ROUTES, *customers.ROUTES, *sales.ROUTES, *logistics.ROUTES, *finance.ROUTES, *workspace.ROUTES,
    *reports.ROUTES, *files.ROUTES,
]
