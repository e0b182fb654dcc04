"""Sales service routes (SAL-*)."""
from crm_gateway.routes.base import action, crud

ROUTES = [
    *crud("products", "sales", "product", "products"),
    *crud("orders", "sales", "order", "orders"),
    action("orders", "submit", "orders.write", "sales.submit_order"),
    action("orders", "approve", "orders.approve", "sales.approve_order"),
    action("orders", "reject", "orders.approve", "sales.reject_order"),
    action("orders", "cancel", "orders.write", "sales.cancel_order"),
]
