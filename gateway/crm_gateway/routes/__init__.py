"""Every route of the public API: who may call it and what answers it. One module per area."""
from crm_gateway.routes import customers, directory, finance, identity, logistics, sales, workspace
from crm_gateway.routes.base import Route

ROUTES: list[Route] = [
    *identity.ROUTES, *directory.ROUTES, *customers.ROUTES, *sales.ROUTES, *logistics.ROUTES, *finance.ROUTES, *workspace.ROUTES,
]
