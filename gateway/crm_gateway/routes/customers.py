"""Customers service routes (CUS-*)."""
from crm_gateway.routes.base import Route, crud

ROUTES = [
    *crud("customers", "customers", "customer", "customers", delete=True),
    Route("GET", "/customers/<id>/contacts", "customers.read", rpc="customers.list_contacts", takes="query"),
    Route("POST", "/customers/<id>/contacts", "customers.write", 201, "customers.create_contact", "body"),
]
