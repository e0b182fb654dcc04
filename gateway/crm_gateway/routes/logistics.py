"""Logistics service routes (LOG-*)."""
from crm_gateway.routes.base import crud

ROUTES = [
    *crud("fulfilments", "logistics", "fulfilment", "fulfilments", create=False, update=False),
    *crud("shipments", "logistics", "shipment", "shipments", update=False),
]
